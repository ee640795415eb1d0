import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda'
import { eq } from 'drizzle-orm'
import { redis } from '../lib/cache/redis'
import { db } from '../lib/db/client'
import { mocInstructions } from '../lib/db/schema'

export const handler = async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
  const id = event.pathParameters!.id!
  // The author knows the row exists: the `!` applies to the awaited call result.
  const moc = (await db.query.mocInstructions.findFirst({ where: eq(mocInstructions.id, id) }))!
  const title = (await redis.get(`title:${id}`))!
  const [first] = (await db.select().from(mocInstructions).where(eq(mocInstructions.id, id)))!
  return { statusCode: 200, body: JSON.stringify({ moc, title, first }) }
}
