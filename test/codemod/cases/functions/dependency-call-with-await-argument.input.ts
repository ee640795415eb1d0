import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda'
import { eq } from 'drizzle-orm'
import { redis } from '../lib/cache/redis'
import { db } from '../lib/db/client'
import { mocInstructions } from '../lib/db/schema'

export const handler = async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
  const id = event.pathParameters?.id ?? ''
  // One dependency call awaited inside the arguments of another.
  await redis.set(
    `moc:${id}`,
    JSON.stringify(await db.select().from(mocInstructions).where(eq(mocInstructions.id, id))),
  )
  return { statusCode: 200, body: '' }
}
