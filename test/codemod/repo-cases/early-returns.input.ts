import type { APIGatewayProxyEvent } from 'aws-lambda'
import { createClient } from 'redis'

const redis = createClient()

export const handler = async (event: APIGatewayProxyEvent) => {
  const id = event.pathParameters?.id
  if (!id) return { statusCode: 400, body: 'missing id' }
  const value = await redis.get(id)
  if (value === null) return { statusCode: 404, body: '' }
  return { statusCode: 200, body: value }
}
