import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda'
import { redis } from '../lib/cache/redis'
import { withTracing, traced } from '../lib/tracing'

export const handler = withTracing(
  {
    service: 'moc-instructions',
    annotations: {
      userId: { from: 'claim', name: 'sub' },
      mocId: { from: 'pathParameter', name: 'id' },
    },
  },
  async function (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
    await traced(
      'Redis - Delete Cache',
      { annotations: { operation: 'DEL' }, metadata: { key: `moc:${event.pathParameters?.id}` } },
      () => redis.del(`moc:${event.pathParameters?.id}`),
    )
    return { statusCode: 204, body: '' }
  },
)
