import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda'
import { redis } from '../lib/cache/redis'

export const handler = async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
  let body: unknown
  try {
    body = JSON.parse(event.body ?? '')
  } catch {
    // No variable to record, and nothing logged: a bad request, not a failure.
    return { statusCode: 400, body: '' }
  }
  try {
    await redis.set('last-body', JSON.stringify(body))
  } catch (cacheError) {
    // Logged as a warning only: the request still succeeds, so nothing is recorded.
    console.warn('cache write failed', cacheError)
  }
  try {
    return { statusCode: 200, body: JSON.stringify(body) }
  } catch (error) {
    console.error('request failed', error)
    return { statusCode: 500, body: '' }
  }
}
