import type { APIGatewayProxyEvent } from 'aws-lambda'
import { cache, pool } from './lib/clients'

// The clients come from a local module that constructs and exports them.
export const handler = async (event: APIGatewayProxyEvent) => {
  const id = event.pathParameters?.id ?? ''
  const cached = await cache.get(`product:${id}`)
  if (cached) return { statusCode: 200, body: cached }
  const { rows } = await pool.query('SELECT * FROM products WHERE id = $1', [id])
  return { statusCode: 200, body: JSON.stringify(rows[0]) }
}
