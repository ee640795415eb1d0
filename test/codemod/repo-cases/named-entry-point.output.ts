import type { APIGatewayProxyEvent } from 'aws-lambda'
import { Pool } from 'pg'
import { traced, withTracing } from './lib/tracing'
import { capturePostgres } from './lib/tracing/capture-postgres'
import * as pg from 'pg'

capturePostgres(pg)

const pool = new Pool()

// Not named `handler`: its first parameter is an API Gateway event.
export const main = withTracing({ service: 'named-entry-point-main' }, async (event: APIGatewayProxyEvent) => {
  const { rows } = await traced('Database Query - SELECT products', { annotations: { operation: 'SELECT', table: 'products' } }, () => pool.query('SELECT * FROM products'))
  return { statusCode: 200, body: JSON.stringify({ rows, path: event.path }) }
})

// Exported, but not an entry point.
export const format = (rows: unknown[]) => JSON.stringify(rows)
