import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda'
import { Pool } from 'pg'
import { traced, withTracing } from './lib/tracing'
import { capturePostgres } from './lib/tracing/capture-postgres'
import * as pg from 'pg'

capturePostgres(pg)

const pool = new Pool({ connectionString: process.env.DATABASE_URL })

// The orders of one customer.
export const handler = withTracing({ service: 'export-const-arrow' }, async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
  const { rows } = await traced('Database Query - SELECT orders', { annotations: { operation: 'SELECT', table: 'orders' } }, () => pool.query('SELECT id, total FROM orders WHERE customer_id = $1', [
    event.pathParameters?.customerId,
  ]))
  return { statusCode: 200, body: JSON.stringify(rows) }
})
