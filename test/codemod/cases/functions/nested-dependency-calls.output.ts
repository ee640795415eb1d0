import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda'
import { eq } from 'drizzle-orm'
import { redis } from '../lib/cache/redis'
import { db } from '../lib/db/client'
import { mocInstructions } from '../lib/db/schema'
import { search } from '../lib/search/opensearch'
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
    // Two calls side by side: each gets its own subsegment.
    const [cached, rows] = await Promise.all([
      traced(
        'Redis - Get Cache',
        { annotations: { operation: 'GET' }, metadata: { key: `moc:${id}` } },
        () => redis.get(`moc:${id}`),
      ),
      traced(
        'Database Query - SELECT moc_instructions',
        { annotations: { operation: 'SELECT', table: 'moc_instructions' } },
        () => db.select().from(mocInstructions).where(eq(mocInstructions.id, id)),
      ),
    ])
    const stats = {
      views: await traced(
        'Redis - Get Cache',
        { annotations: { operation: 'GET' }, metadata: { key: `views:${id}` } },
        () => redis.get(`views:${id}`),
      ),
      cached: cached !== null,
    }
    const label = `MOC ${await traced('Redis - Get Cache', { annotations: { operation: 'GET' }, metadata: { key: `title:${id}` } }, () => redis.get(`title:${id}`))}`
    if (!rows.length) return notFound(id)
    return { statusCode: 200, body: JSON.stringify({ rows, stats, label }) }
  },
)

async function notFound(id: string): Promise<APIGatewayProxyResult> {
  return {
    statusCode: 404,
    body: JSON.stringify(
      await traced(
        'OpenSearch - Search mocs',
        { annotations: { operation: 'search', index: 'mocs' } },
        () => search.search({ index: 'mocs', body: { query: { ids: { values: [id] } } } }),
      ),
    ),
  }
}
