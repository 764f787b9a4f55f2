/** The built service (dist/src/main.js) as its own process, for tests of the production path. */
import { ChildProcess } from 'node:child_process';

/** Waits until GET /health answers 200; fails with the process's output when it exits or takes
 * over a minute. */
export async function waitForHealth(base: string, service: ChildProcess, output: () => string): Promise<void> {
  const started = Date.now();
  while ((await fetch(`${base}/health`).catch(() => null))?.status !== 200) {
    if (Date.now() - started > 60_000 || service.exitCode !== null) throw new Error(`the service did not start:\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Stops the service (SIGTERM, a clean shutdown) and waits for it to exit. */
export async function stopService(service: ChildProcess | undefined): Promise<void> {
  if (service && service.exitCode === null) {
    service.kill('SIGTERM');
    await new Promise((resolve) => service.once('exit', resolve));
  }
}
