import type { APIGatewayProxyEvent } from 'aws-lambda'
import { Pool } from 'pg'
import { createClient } from 'redis'
import { traced, withTracing } from './lib/tracing'
import { capturePostgres } from './lib/tracing/capture-postgres'
import { captureRedis } from './lib/tracing/capture-redis'
import * as pg from 'pg'

capturePostgres(pg)

const pool = new Pool()
const redis = captureRedis(createClient())

export const handler = withTracing({ service: 'promise-all' }, async (event: APIGatewayProxyEvent) => {
  const id = event.pathParameters?.id ?? ''
  const [product, views] = await Promise.all([
    traced('Database Query - SELECT products', { annotations: { operation: 'SELECT', table: 'products' } }, () => pool.query('SELECT * FROM products WHERE id = $1', [id])),
    traced('Redis - Incr Cache', { annotations: { operation: 'INCR' }, metadata: { key: `views:${id}` } }, () => redis.incr(`views:${id}`)),
  ])
  return { statusCode: 200, body: JSON.stringify({ product: product.rows[0], views }) }
})
