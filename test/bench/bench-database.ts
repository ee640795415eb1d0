import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import { TEST_DATABASE } from '../support/postgres'

/*
 * A database of the benchmark's own on the local Postgres, so that suites truncating the shared
 * `test` database while the benchmark runs cannot turn its requests into 404s.
 */

export const BENCH_DATABASE = { ...TEST_DATABASE, database: 'xray_scaffold_bench' }

const SCHEMA_SQL = fileURLToPath(new URL('../fixtures/lego-api/schema.sql', import.meta.url))

/**
 * Creates the benchmark database if missing, applies the lego-api schema, empties
 * moc_instructions and inserts `count` MOCs with an instructions key (so GET presigns). Returns
 * their ids: one per invocation, so that every request misses the cache and makes the same four
 * dependency calls (Redis GET, SELECT, Redis SET, S3 presign).
 *
 * @example
 * const ids = await seedMocs(2_000)
 */
export async function seedMocs(count: number): Promise<string[]> {
  const admin = new pg.Client(TEST_DATABASE)
  await admin.connect()
  try {
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [
      BENCH_DATABASE.database,
    ])
    if (rowCount === 0) await admin.query(`CREATE DATABASE ${BENCH_DATABASE.database}`)
  } finally {
    await admin.end()
  }
  const client = new pg.Client(BENCH_DATABASE)
  await client.connect()
  try {
    await client.query(await readFile(SCHEMA_SQL, 'utf8'))
    await client.query('TRUNCATE moc_instructions')
    const { rows } = await client.query<{ id: string }>(
      `INSERT INTO moc_instructions (user_id, title, description, instructions_key)
       SELECT 'bench-user', 'Bench MOC ' || n, 'A MOC the benchmark reads', 'mocs/bench-user/' || n || '/instructions.pdf'
       FROM generate_series(1, $1) AS n
       RETURNING id`,
      [count],
    )
    return rows.map((row) => row.id)
  } finally {
    await client.end()
  }
}
