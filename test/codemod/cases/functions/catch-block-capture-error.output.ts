import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda'
import { redis } from '../lib/cache/redis'
import { withTracing, traced, captureError, logger } from '../lib/tracing'

export const handler = withTracing(
  {
    service: 'moc-instructions',
    annotations: {
      userId: { from: 'claim', name: 'sub' },
      mocId: { from: 'pathParameter', name: 'id' },
    },
  },
  async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
    let body: unknown
    try {
      body = JSON.parse(event.body ?? '')
    } catch {
      // No variable to record, and nothing logged: a bad request, not a failure.
      return { statusCode: 400, body: '' }
    }
    try {
      await traced(
        'Redis - Set Cache',
        { annotations: { operation: 'SET' }, metadata: { key: 'last-body' } },
        () => redis.set('last-body', JSON.stringify(body)),
      )
    } catch (cacheError) {
      // Logged as a warning only: the request still succeeds, so nothing is recorded.
      logger.warn('cache write failed', cacheError)
    }
    try {
      return { statusCode: 200, body: JSON.stringify(body) }
    } catch (error) {
      captureError(error)
      logger.error('request failed', error)
      return { statusCode: 500, body: '' }
    }
  },
)
