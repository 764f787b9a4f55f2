export default async function globalTeardown(): Promise<void> {
  const pg = (globalThis as { vigilTestPostgres?: { stop: () => Promise<void> } }).vigilTestPostgres;
  if (pg) await pg.stop();
}
