import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda'
import { redis } from '../lib/cache/redis'
import { logger } from '../lib/tracing'

// Already uses the runtime's logger: the codemod completes that import instead of adding one.
export const handler = async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
  logger.info('request received', { resource: event.resource })
  const cached = await redis.get('moc:1')
  return { statusCode: 200, body: cached ?? '' }
}
