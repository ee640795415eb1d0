import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda'
import { eq } from 'drizzle-orm'
import { redis } from '../lib/cache/redis'
import { db } from '../lib/db/client'
import { mocInstructions } from '../lib/db/schema'
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
    // One dependency call awaited inside the arguments of another.
    await traced(
      'Redis - Set Cache',
      { annotations: { operation: 'SET' }, metadata: { key: `moc:${id}` } },
      async () =>
        redis.set(
          `moc:${id}`,
          JSON.stringify(
            await traced(
              'Database Query - SELECT moc_instructions',
              { annotations: { operation: 'SELECT', table: 'moc_instructions' } },
              () => db.select().from(mocInstructions).where(eq(mocInstructions.id, id)),
            ),
          ),
        ),
    )
    return { statusCode: 200, body: '' }
  },
)
