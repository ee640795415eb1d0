import type { APIGatewayProxyEvent } from 'aws-lambda'
import { Pool } from 'pg'
import { createClient } from 'redis'

const pool = new Pool()
const redis = createClient()

export const handler = async (event: APIGatewayProxyEvent) => {
  const id = event.pathParameters?.id ?? ''
  const [product, views] = await Promise.all([
    pool.query('SELECT * FROM products WHERE id = $1', [id]),
    redis.incr(`views:${id}`),
  ])
  return { statusCode: 200, body: JSON.stringify({ product: product.rows[0], views }) }
}
