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
  async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
    const id = event.pathParameters?.id ?? ''
    const key = `moc:${id}`
    const cached = await traced(
      'Redis - Get Cache',
      { annotations: { operation: 'GET' }, metadata: { key: key } },
      () => redis.get(key),
    )
    await traced(
      'Redis - Set Cache',
      { annotations: { operation: 'SET' }, metadata: { key: key } },
      () => redis.set(key, 'x', { EX: 300 }),
    )
    await traced(
      'Redis - Delete Cache',
      { annotations: { operation: 'DEL' }, metadata: { key: key } },
      () => redis.del(key),
    )
    const many = await traced(
      'Redis - Get Many Cache',
      { annotations: { operation: 'MGET' } },
      () => redis.mGet([key, `views:${id}`]),
    )
    // A command without a name of its own in the map: its method, in title case.
    await traced(
      'Redis - Expire Cache',
      { annotations: { operation: 'EXPIRE' }, metadata: { key: key } },
      () => redis.expire(key, 60),
    )
    // The key is not a plain expression: it is not copied into the metadata.
    await traced('Redis - Get Cache', { annotations: { operation: 'GET' } }, () =>
      redis.get(id.toLowerCase()),
    )
    return { statusCode: 200, body: JSON.stringify({ cached, many }) }
  },
)
