import middy from '@middy/core'
import httpErrorHandler from '@middy/http-error-handler'
import { createClient } from 'redis'

const redis = createClient()

export const handler = middy()
  .use(httpErrorHandler())
  .handler(async (event: { pathParameters: { id: string } }) => {
    const value = await redis.get(event.pathParameters.id)
    return { statusCode: 200, body: value ?? '' }
  })
