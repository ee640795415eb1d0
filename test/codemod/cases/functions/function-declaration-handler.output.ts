import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda'
import { redis } from '../lib/cache/redis'
import { withTracing, traced } from '../lib/tracing'

/** The handler Lambda calls: an exported async function declaration. */
export const handler = withTracing(
  {
    service: 'moc-instructions',
    annotations: {
      userId: { from: 'claim', name: 'sub' },
      mocId: { from: 'pathParameter', name: 'id' },
    },
  },
  async function handler(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
    const cached = await traced(
      'Redis - Get Cache',
      { annotations: { operation: 'GET' }, metadata: { key: `moc:${event.pathParameters?.id}` } },
      () => redis.get(`moc:${event.pathParameters?.id}`),
    )
    return { statusCode: cached ? 200 : 404, body: cached ?? '' }
  },
)
