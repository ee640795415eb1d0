import captureModule from 'aws-xray-sdk-postgres'
import { drizzle } from 'drizzle-orm/node-postgres'
import pg from 'pg'
import { currentSegment, isRecording, type SegmentLike } from '../tracing/sdk'
import * as schema from './schema'

/**
 * Postgres through `pg`, captured by aws-xray-sdk-postgres: every query is a remote subsegment
 * `<database>@<host>` with `sql` fields (url `postgresql://host:port/database` without the
 * password, user, `database_type`, and the statement text only when
 * AWS_XRAY_COLLECT_SQL_QUERIES is set). Parameter values are never recorded.
 */

// The package's typings declare a named export, but the module exports the function itself.
const capturePostgres = captureModule as unknown as typeof captureModule.capturePostgres
// pg's own query, kept before the capture replaces it (see tracedQuery).
const plainQuery = pg.Client.prototype.query as (...args: unknown[]) => unknown
// It patches pg.Client.prototype in place, which the pool below (and Drizzle) use.
capturePostgres(pg as never)

const capturedQuery = pg.Client.prototype.query

/**
 * The capture writes `values` and `callback` into the query config it is given. Drizzle reuses
 * one config object per prepared query, so a copy is handed over instead: the parameter values
 * of one call never stay attached to Drizzle's objects, and calls never see each other's
 * callbacks. The capture's subsegment also gets `database_type`, which it does not set itself.
 * On an unsampled trace (or outside any) the query goes straight to pg: the capture would still
 * build a subsegment, with its id, SQL data and listeners, that is never sent.
 */
pg.Client.prototype.query = function tracedQuery(this: pg.Client, ...args: unknown[]): unknown {
  const parent = currentSegment()
  if (!parent || !isRecording(parent)) return plainQuery.apply(this, args)
  const [config] = args
  if (isPlainQueryConfig(config)) args[0] = { ...config }
  const result = (capturedQuery as (...a: unknown[]) => unknown).apply(this, args)
  labelDatabaseType(parent)
  return result
} as typeof pg.Client.prototype.query

function isPlainQueryConfig(value: unknown): value is Record<string, unknown> {
  // Submittables (Query, Cursor) are pg's own objects and must be passed as they are.
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { submit?: unknown }).submit !== 'function'
  )
}

function labelDatabaseType(parent: SegmentLike): void {
  const subsegments = (parent as { subsegments?: Array<{ sql?: Record<string, unknown> }> })
    .subsegments
  const sql = subsegments?.[subsegments.length - 1]?.sql
  if (sql && sql.database_type === undefined) sql.database_type = 'PostgreSQL'
}

/** The connection pool; one connection is enough for a Lambda execution environment. */
export const pool = new pg.Pool({
  host: process.env.POSTGRES_HOST,
  port: Number(process.env.POSTGRES_PORT ?? 5432),
  database: process.env.POSTGRES_DB,
  user: process.env.POSTGRES_USER,
  password: process.env.POSTGRES_PASSWORD,
  max: 1,
})

/** Drizzle over the captured pool: every query it runs is traced. */
export const db = drizzle(pool, { schema })
