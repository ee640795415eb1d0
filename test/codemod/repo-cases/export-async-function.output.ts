import type { APIGatewayProxyEventV2 } from 'aws-lambda'
import { Pool } from 'pg'
import { traced, withTracing } from './lib/tracing'
import { capturePostgres } from './lib/tracing/capture-postgres'
import * as pg from 'pg'

capturePostgres(pg)

const pool = new Pool()

/** Deletes an order. */
export const handler = withTracing({ service: 'export-async-function' }, async function handler(event: APIGatewayProxyEventV2) {
  await traced('Database Query - DELETE orders', { annotations: { operation: 'DELETE', table: 'orders' } }, () => pool.query('DELETE FROM orders WHERE id = $1', [event.pathParameters?.id]))
  return { statusCode: 204 }
})
