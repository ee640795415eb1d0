import type { APIGatewayProxyEvent } from 'aws-lambda'
import { Pool } from 'pg'
import { traced, withTracing } from './lib/tracing'
import { capturePostgres } from './lib/tracing/capture-postgres'
import * as pg from 'pg'

capturePostgres(pg)

const pool = new Pool()

export const handler = withTracing({ service: 'try-catch-finally' }, async (event: APIGatewayProxyEvent) => {
  const client = await pool.connect()
  try {
    await traced('Database Query - BEGIN', { annotations: { operation: 'BEGIN' } }, () => client.query('BEGIN'))
    await traced('Database Query - UPDATE stock', { annotations: { operation: 'UPDATE', table: 'stock' } }, () => pool.query('UPDATE stock SET count = count - 1 WHERE sku = $1', [event.pathParameters?.sku]))
    return { statusCode: 200, body: '' }
  } catch (error) {
    console.error('reservation failed', error)
    return { statusCode: 500, body: '' }
  } finally {
    client.release()
  }
})
