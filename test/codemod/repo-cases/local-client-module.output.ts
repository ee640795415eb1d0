import type { APIGatewayProxyEvent } from 'aws-lambda'
import { cache, pool } from './lib/clients'
import { traced, withTracing } from './lib/tracing'

// The clients come from a local module that constructs and exports them.
export const handler = withTracing({ service: 'local-client-module' }, async (event: APIGatewayProxyEvent) => {
  const id = event.pathParameters?.id ?? ''
  const cached = await traced('Redis - Get Cache', { annotations: { operation: 'GET' }, metadata: { key: `product:${id}` } }, () => cache.get(`product:${id}`))
  if (cached) return { statusCode: 200, body: cached }
  const { rows } = await traced('Database Query - SELECT products', { annotations: { operation: 'SELECT', table: 'products' } }, () => pool.query('SELECT * FROM products WHERE id = $1', [id]))
  return { statusCode: 200, body: JSON.stringify(rows[0]) }
})
