/* Preloaded (`node -r`) into the import the benchmark times: when the process exits, writes its
 * peak resident set size (VmHWM, kB) to BENCH_PEAK_RSS_FILE. Read from /proc at the very end, so no
 * peak between two samples is missed. */
import { readFileSync, writeFileSync } from 'node:fs';

const target = process.env.BENCH_PEAK_RSS_FILE;
if (target) {
  process.on('exit', () => {
    const hwm = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    writeFileSync(target, hwm ? hwm[1] : '');
  });
}
