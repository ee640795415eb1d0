import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda'
import { redis } from '../lib/cache/redis'
import { captureError, logger, traced, withTracing } from '../lib/tracing'

// Traced already (by this codemod or by hand): the codemod changes nothing.
export const handler = withTracing(
  { service: 'moc-instructions' },
  async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
    try {
      const key = `moc:${event.pathParameters?.id}`
      const cached = await traced(
        'Redis - Get Cache',
        { annotations: { operation: 'GET' }, metadata: { key } },
        () => redis.get(key),
      )
      return { statusCode: 200, body: cached ?? '' }
    } catch (error) {
      captureError(error)
      logger.error('request failed', error)
      return { statusCode: 500, body: '' }
    }
  },
)
