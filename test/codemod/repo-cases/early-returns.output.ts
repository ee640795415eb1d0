import type { APIGatewayProxyEvent } from 'aws-lambda'
import { createClient } from 'redis'
import { traced, withTracing } from './lib/tracing'
import { captureRedis } from './lib/tracing/capture-redis'

const redis = captureRedis(createClient())

export const handler = withTracing({ service: 'early-returns' }, async (event: APIGatewayProxyEvent) => {
  const id = event.pathParameters?.id
  if (!id) return { statusCode: 400, body: 'missing id' }
  const value = await traced('Redis - Get Cache', { annotations: { operation: 'GET' }, metadata: { key: id } }, () => redis.get(id))
  if (value === null) return { statusCode: 404, body: '' }
  return { statusCode: 200, body: value }
})
