import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda'
import { eq } from 'drizzle-orm'
import { redis as cache } from '../lib/cache/redis'
import { db as database } from '../lib/db/client'
import { mocInstructions } from '../lib/db/schema'
import { withTracing, traced } from '../lib/tracing'

// The clients are recognised by what is imported, whatever the local name.
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
    const cached = await traced(
      'Redis - Get Cache',
      { annotations: { operation: 'GET' }, metadata: { key: `moc:${id}` } },
      () => cache.get(`moc:${id}`),
    )
    if (cached) return { statusCode: 200, body: cached }
    const rows = await traced(
      'Database Query - SELECT moc_instructions',
      { annotations: { operation: 'SELECT', table: 'moc_instructions' } },
      () => database.select().from(mocInstructions).where(eq(mocInstructions.id, id)),
    )
    return { statusCode: 200, body: JSON.stringify(rows) }
  },
)
