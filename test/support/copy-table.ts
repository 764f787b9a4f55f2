import { DataSource } from 'typeorm';

/** Copies every row of `table` from one database to another (its stored columns, generated ones
 * left to the target): the records the CSV exports do not carry (situations, organizations),
 * which exported ones refer to. */
export async function copyTable(from: DataSource, to: DataSource, table: string): Promise<void> {
  const columns: string[] = (
    await to.query(
      `SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 AND is_generated = 'NEVER' ORDER BY ordinal_position`,
      [table],
    )
  ).map((c: { column_name: string }) => c.column_name);
  const [{ rows }] = await from.query(`SELECT coalesce(json_agg(t), '[]') AS rows FROM (SELECT ${columns.join(', ')} FROM ${table}) t`);
  await to.query(`INSERT INTO ${table} (${columns.join(', ')}) SELECT ${columns.join(', ')} FROM json_populate_recordset(NULL::${table}, $1::json)`, [
    JSON.stringify(rows),
  ]);
}
