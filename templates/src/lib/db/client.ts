import { drizzle } from 'drizzle-orm/node-postgres'
import pg from 'pg'
import { capturePostgres } from '../tracing/capture-postgres'
import * as schema from './schema'

// Every query on a traced request becomes a remote `<database>@<host>` subsegment (see
// capture-postgres.ts). It patches pg.Client.prototype in place, which the pool below and Drizzle use.
capturePostgres(pg)

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
