import { capturePostgres } from './capture-postgres'

/** What the capture reads of a Knex instance: its client, the dialect and the driver module. */
interface KnexLike {
  client?: { dialect?: string; driver?: unknown }
}

/**
 * Traces the queries of a Knex instance on PostgreSQL: each one a remote `<database>@<host>`
 * subsegment with the `sql` fields, exactly as `capturePostgres` records them (no parameter
 * values, statement text only with `AWS_XRAY_COLLECT_SQL_QUERIES`).
 *
 * Knex's pg dialect runs every query through `pg`'s `Client.prototype.query`, which
 * `capturePostgres` patches, and keeps the `pg` module it loaded as `knex.client.driver`. So no
 * Knex-specific tracing is needed: this applies `capturePostgres` to that module, which is the
 * one Knex uses even when the application's own `pg` is another copy. Patching a module twice
 * is harmless, so capturing twice, or also calling `capturePostgres(pg)`, traces once. Other
 * dialects (mysql, sqlite) are returned untouched.
 *
 * @example
 * ```ts
 * export const db = captureKnex(knex({ client: 'pg', connection: process.env.DATABASE_URL }))
 * ```
 */
export function captureKnex<C>(knex: C): C {
  const client = (knex as KnexLike | null)?.client
  const driver = client?.driver as { Client?: { prototype?: { query?: unknown } } } | undefined
  if (client?.dialect === 'postgresql' && typeof driver?.Client?.prototype?.query === 'function') {
    capturePostgres(driver as Parameters<typeof capturePostgres>[0])
  }
  return knex
}
