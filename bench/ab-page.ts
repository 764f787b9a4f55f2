/* An A/B of one change to the page read, steadier than two benchmark runs on a shared machine:
 * two Vigil processes of one build on the cached benchmark database, one started with the
 * environment variable AB_FLAG set (a temporary check in the code switches the change off there),
 * rounds of sequential page requests alternating between them, the CPU time of each from /proc.
 *   npm run build && tsc -p bench/tsconfig.json && AB_FLAG=MY_SWITCH node dist/bench/ab-page.js
 * AB_ROUNDS (6), AB_PER_ROUND (50), AB_INCIDENTS (200000). Used in bench/README.md ("Page, round 2"). */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../src/database/free-port';
import { openBenchDatabase, REPO, serviceRoleUrl } from './database';
import { runMain, startServer } from './processes';
import { graphql, READS } from './requests';

async function main() {
  const flag = process.env.AB_FLAG ?? 'VIGIL_WHOLE_RECORDS';
  const rounds = Number(process.env.AB_ROUNDS ?? 6);
  const perRound = Number(process.env.AB_PER_ROUND ?? 50);
  const log = (m: string) => console.log(`[ab] ${m}`);
  const db = await openBenchDatabase({ incidents: Number(process.env.AB_INCIDENTS ?? 200000), seed: 1, fresh: false, noCache: false, log });
  const url = await serviceRoleUrl(db.url);
  const logDir = join(REPO, '.vigil', 'ab');
  mkdirSync(logDir, { recursive: true });
  const start = async (name: string, on: boolean) => {
    const port = await freePort();
    return startServer({
      name, script: join(REPO, 'dist', 'src', 'main.js'), port, readyPath: '/health', logDir,
      env: { DATABASE_URL: url, PORT: String(port), HOST: '127.0.0.1', DEMO_DATA: 'false', LOG_LEVEL: 'warn', NODE_ENV: 'production', RATE_LIMIT_PER_ADDRESS: '0', RATE_LIMIT_PER_TOKEN: '0', ...(on ? { [flag]: '1' } : {}) },
    });
  };
  const a = await start('ab-with-flag', true);
  const b = await start('ab-without-flag', false);
  const page = READS.find((r) => r.name === 'page')!;
  const body = page.vigil(50);
  const servers = [a, b];
  // warm up
  for (const s of servers) for (let i = 0; i < 30; i++) await graphql(`${s.baseUrl}/graphql`, body);
  const cpu = new Map(servers.map((s) => [s.name, 0]));
  const wall = new Map(servers.map((s) => [s.name, 0]));
  for (let r = 0; r < rounds; r++) {
    for (const s of r % 2 ? [...servers].reverse() : servers) {
      const c0 = s.cpuSeconds();
      const t0 = performance.now();
      for (let i = 0; i < perRound; i++) await graphql(`${s.baseUrl}/graphql`, body);
      wall.set(s.name, wall.get(s.name)! + performance.now() - t0);
      cpu.set(s.name, cpu.get(s.name)! + s.cpuSeconds() - c0);
    }
  }
  for (const s of servers) log(`${s.name} (${flag}): CPU ${((cpu.get(s.name)! * 1000) / (rounds * perRound)).toFixed(2)} ms/request, wall ${(wall.get(s.name)! / (rounds * perRound)).toFixed(1)} ms/request`);
  for (const s of servers) await s.stop();
  await db.close();
}
runMain(main);
