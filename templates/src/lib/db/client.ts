import { Signer } from '@aws-sdk/rds-signer'
import { drizzle } from 'drizzle-orm/node-postgres'
import pg from 'pg'
import { capturePostgres } from '../tracing/capture-postgres'
import { logger } from '../tracing/logger'
import * as schema from './schema'

// Every query on a traced request becomes a remote `<database>@<host>` subsegment, and so does a
// connection that fails (see capture-postgres.ts). It patches pg.Client.prototype in place, which
// the pool below and Drizzle use.
capturePostgres(pg)

const host = process.env.POSTGRES_HOST
const port = Number(process.env.POSTGRES_PORT ?? 5432)
const user = process.env.POSTGRES_USER

/** Milliseconds from an environment variable, or the default when it is unset or not a number. */
function milliseconds(name: string, fallback: number): number {
  const value = Number(process.env[name])
  return Number.isFinite(value) && value > 0 ? value : fallback
}

/**
 * The password pg sends when the server asks for one. With `POSTGRES_AUTH=iam` (what the stack
 * sets) it is an RDS IAM authentication token, signed locally with the function's role on each
 * new connection: nothing secret sits in the environment or the template, a token lives 15
 * minutes, and a rotation has nothing to refresh. Otherwise (a local database)
 * `POSTGRES_PASSWORD`, when set.
 */
function password(): string | (() => Promise<string>) | undefined {
  if (process.env.POSTGRES_AUTH !== 'iam') return process.env.POSTGRES_PASSWORD
  const signer = new Signer({
    hostname: host ?? '',
    port,
    username: user ?? '',
    region: process.env.AWS_REGION,
  })
  return () => signer.getAuthToken()
}

/**
 * The connection pool; one connection is enough for a Lambda execution environment. It connects
 * on the first query, not at init, so a database that is down costs a cold start nothing and
 * fails only the routes that query it. A connection that cannot be made within
 * `POSTGRES_CONNECT_TIMEOUT_MS` (default 3 s) and a query unanswered within
 * `POSTGRES_QUERY_TIMEOUT_MS` (default 5 s) fail the request; the connection of a failed query is
 * discarded, so the next request opens a fresh one.
 */
export const pool = new pg.Pool({
  host,
  port,
  database: process.env.POSTGRES_DB,
  user,
  password: password(),
  // IAM authentication needs TLS; RDS certificates verify against the bundle that
  // NODE_EXTRA_CA_CERTS names (the stack sets it to the one the Lambda runtime ships).
  ssl: process.env.POSTGRES_SSL === 'require' ? { rejectUnauthorized: true } : undefined,
  max: 1,
  connectionTimeoutMillis: milliseconds('POSTGRES_CONNECT_TIMEOUT_MS', 3_000),
  query_timeout: milliseconds('POSTGRES_QUERY_TIMEOUT_MS', 5_000),
  // Lambda freezes the environment between invocations; TCP keep-alive notices a dead peer sooner.
  keepAlive: true,
})

// An idle connection that dies (a failover, the server's idle timeout, an administrator's
// pg_terminate_backend) makes the pool emit 'error'; without a listener that kills the process.
// The pool has already dropped that connection: the next query opens a new one.
pool.on('error', (error: Error) => logger.warn('Postgres idle connection lost', error))

/** Drizzle over the captured pool: every query it runs is traced. */
export const db = drizzle(pool, { schema })
