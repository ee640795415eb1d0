import type { APIGatewayProxyEvent } from 'aws-lambda'
import { Pool } from 'pg'
import { createClient } from 'redis'

const pool = new Pool()
const redis = createClient()

// Helpers the handler calls: their dependency calls are traced where they are.
async function cachedUser(id: string) {
  const hit = await redis.get(`user:${id}`)
  if (hit) return JSON.parse(hit)
  return loadUser(id)
}

const loadUser = (id: string) => pool.query('SELECT * FROM users WHERE id = $1', [id])

export const handler = async (event: APIGatewayProxyEvent) => {
  const user = await cachedUser(event.pathParameters?.id ?? '')
  return { statusCode: 200, body: JSON.stringify(user) }
}
