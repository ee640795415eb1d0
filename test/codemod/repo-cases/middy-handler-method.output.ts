import middy from '@middy/core'
import httpErrorHandler from '@middy/http-error-handler'
import { createClient } from 'redis'
import { traced, withTracing } from './lib/tracing'
import { captureRedis } from './lib/tracing/capture-redis'

const redis = captureRedis(createClient())

export const handler = middy()
  .use(httpErrorHandler())
  .handler(withTracing({ service: 'middy-handler-method' }, async (event: { pathParameters: { id: string } }) => {
    const value = await traced('Redis - Get Cache', { annotations: { operation: 'GET' }, metadata: { key: event.pathParameters.id } }, () => redis.get(event.pathParameters.id))
    return { statusCode: 200, body: value ?? '' }
  }))
