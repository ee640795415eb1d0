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

// Helpers the handler calls: their dependency calls are traced where they are.
async function cachedUser(id: string) {
  const hit = await traced('Redis - Get Cache', { annotations: { operation: 'GET' }, metadata: { key: `user:${id}` } }, () => redis.get(`user:${id}`))
  if (hit) return JSON.parse(hit)
  return loadUser(id)
}

const loadUser = (id: string) => traced('Database Query - SELECT users', { annotations: { operation: 'SELECT', table: 'users' } }, () => pool.query('SELECT * FROM users WHERE id = $1', [id]))

export const handler = withTracing({ service: 'local-helper-functions' }, async (event: APIGatewayProxyEvent) => {
  const user = await cachedUser(event.pathParameters?.id ?? '')
  return { statusCode: 200, body: JSON.stringify(user) }
})
