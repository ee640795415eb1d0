import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda'
import { eq } from 'drizzle-orm'
import { redis as cache } from '../lib/cache/redis'
import { db as database } from '../lib/db/client'
import { mocInstructions } from '../lib/db/schema'

// The clients are recognised by what is imported, whatever the local name.
export const handler = async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
  const id = event.pathParameters?.id ?? ''
  const cached = await cache.get(`moc:${id}`)
  if (cached) return { statusCode: 200, body: cached }
  const rows = await database.select().from(mocInstructions).where(eq(mocInstructions.id, id))
  return { statusCode: 200, body: JSON.stringify(rows) }
}
