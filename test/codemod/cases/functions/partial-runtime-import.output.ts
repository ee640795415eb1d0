import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda'
import { redis } from '../lib/cache/redis'
import { logger, withTracing, traced } from '../lib/tracing'

// Already uses the runtime's logger: the codemod completes that import instead of adding one.
export const handler = withTracing(
  {
    service: 'moc-instructions',
    annotations: {
      userId: { from: 'claim', name: 'sub' },
      mocId: { from: 'pathParameter', name: 'id' },
    },
  },
  async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
    logger.info('request received', { resource: event.resource })
    const cached = await traced(
      'Redis - Get Cache',
      { annotations: { operation: 'GET' }, metadata: { key: 'moc:1' } },
      () => redis.get('moc:1'),
    )
    return { statusCode: 200, body: cached ?? '' }
  },
)
