import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import pg from 'pg'

/*
 * The real Postgres on this machine, as the lego-api tests use it: database `test` on
 * 127.0.0.1:5432, public schema, the four tables of test/fixtures/lego-api/schema.sql.
 */

/** The tables of the lego-api, in the order they are truncated. */
export const LEGO_API_TABLES = [
  'moc_instructions',
  'gallery_images',
  'wishlist_items',
  'profiles',
] as const

/** Connection settings of the test database (trust auth: the password is not checked). */
export const TEST_DATABASE = {
  host: '127.0.0.1',
  port: 5432,
  database: 'test',
  user: 'postgres',
  password: 'postgres',
} as const

const SCHEMA_SQL = fileURLToPath(new URL('../fixtures/lego-api/schema.sql', import.meta.url))

/**
 * Creates the lego-api tables if they are missing and empties them. The schema file is idempotent,
 * so every suite can call this in `beforeEach` or `beforeAll`.
 *
 * @example
 * beforeEach(() => resetDatabase())
 */
export async function resetDatabase(): Promise<void> {
  const schema = await readFile(SCHEMA_SQL, 'utf8')
  const client = new pg.Client(TEST_DATABASE)
  await client.connect()
  try {
    // Suites run one after another, but other developers share this server: serialize the DDL.
    await client.query('SELECT pg_advisory_lock(hashtext($1))', ['lego-api-schema'])
    try {
      await client.query(schema)
      await client.query(`TRUNCATE ${LEGO_API_TABLES.join(', ')}`)
    } finally {
      await client.query('SELECT pg_advisory_unlock(hashtext($1))', ['lego-api-schema'])
    }
  } finally {
    await client.end()
  }
}

/**
 * Runs one query against the test database on a short-lived connection (seeding and checking rows
 * without going through the code under test).
 *
 * @example
 * const { rows } = await queryDatabase('SELECT count(*)::int AS n FROM wishlist_items')
 */
export async function queryDatabase<R extends pg.QueryResultRow = pg.QueryResultRow>(
  text: string,
  values: unknown[] = [],
): Promise<pg.QueryResult<R>> {
  const client = new pg.Client(TEST_DATABASE)
  await client.connect()
  try {
    return await client.query<R>(text, values)
  } finally {
    await client.end()
  }
}
