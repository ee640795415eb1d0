import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda'
import { eq } from 'drizzle-orm'
import { db } from '../lib/db/client'
import { mocInstructions } from '../lib/db/schema'

export const handler = async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
  const id = event.pathParameters?.id ?? ''
  // One subsegment for the whole transaction; the statements inside run on `tx`, not on `db`.
  await db.transaction(async (tx) => {
    try {
      await tx.delete(mocInstructions).where(eq(mocInstructions.id, id))
    } catch (error) {
      console.error('delete failed', error)
      tx.rollback()
    }
  })
  return { statusCode: 204, body: '' }
}
