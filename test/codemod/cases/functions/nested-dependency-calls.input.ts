import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda'
import { eq } from 'drizzle-orm'
import { redis } from '../lib/cache/redis'
import { db } from '../lib/db/client'
import { mocInstructions } from '../lib/db/schema'
import { search } from '../lib/search/opensearch'

export const handler = async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
  const id = event.pathParameters?.id ?? ''
  // Two calls side by side: each gets its own subsegment.
  const [cached, rows] = await Promise.all([
    redis.get(`moc:${id}`),
    db.select().from(mocInstructions).where(eq(mocInstructions.id, id)),
  ])
  const stats = { views: await redis.get(`views:${id}`), cached: cached !== null }
  const label = `MOC ${await redis.get(`title:${id}`)}`
  if (!rows.length) return notFound(id)
  return { statusCode: 200, body: JSON.stringify({ rows, stats, label }) }
}

async function notFound(id: string): Promise<APIGatewayProxyResult> {
  return {
    statusCode: 404,
    body: JSON.stringify(
      await search.search({ index: 'mocs', body: { query: { ids: { values: [id] } } } }),
    ),
  }
}
