import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda'
import { eq } from 'drizzle-orm'
import { db } from '../lib/db/client'
import { mocInstructions } from '../lib/db/schema'

// The handler Lambda calls: an exported arrow function.
export const handler = async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
  const id = event.pathParameters?.id ?? ''
  const rows = await db.select().from(mocInstructions).where(eq(mocInstructions.id, id))
  return { statusCode: 200, body: JSON.stringify(rows) }
}
