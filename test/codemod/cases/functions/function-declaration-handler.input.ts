import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda'
import { redis } from '../lib/cache/redis'

/** The handler Lambda calls: an exported async function declaration. */
export async function handler(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  const cached = await redis.get(`moc:${event.pathParameters?.id}`)
  return { statusCode: cached ? 200 : 404, body: cached ?? '' }
}
