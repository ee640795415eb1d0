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
    const id = event.pathParameters!.id!
    // The author knows the row exists: the `!` applies to the awaited call result.
    const moc = (await traced(
      'Database Query - SELECT moc_instructions',
      { annotations: { operation: 'SELECT', table: 'moc_instructions' } },
      () => db.query.mocInstructions.findFirst({ where: eq(mocInstructions.id, id) }),
    ))!
    const title = (await traced(
      'Redis - Get Cache',
      { annotations: { operation: 'GET' }, metadata: { key: `title:${id}` } },
      () => redis.get(`title:${id}`),
    ))!
    const [first] = (await traced(
      'Database Query - SELECT moc_instructions',
      { annotations: { operation: 'SELECT', table: 'moc_instructions' } },
      () => db.select().from(mocInstructions).where(eq(mocInstructions.id, id)),
    ))!
    return { statusCode: 200, body: JSON.stringify({ moc, title, first }) }
  },
)
