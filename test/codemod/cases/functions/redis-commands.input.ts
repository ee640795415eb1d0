import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda'
import { redis } from '../lib/cache/redis'

export const handler = async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
  const id = event.pathParameters?.id ?? ''
  const key = `moc:${id}`
  const cached = await redis.get(key)
  await redis.set(key, 'x', { EX: 300 })
  await redis.del(key)
  const many = await redis.mGet([key, `views:${id}`])
  // A command without a name of its own in the map: its method, in title case.
  await redis.expire(key, 60)
  // The key is not a plain expression: it is not copied into the metadata.
  await redis.get(id.toLowerCase())
  return { statusCode: 200, body: JSON.stringify({ cached, many }) }
}
