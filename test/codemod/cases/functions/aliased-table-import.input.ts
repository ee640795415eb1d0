import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda'
import { eq } from 'drizzle-orm'
import { db } from '../lib/db/client'
import { mocInstructions as mocs } from '../lib/db/schema'

export const handler = async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
  const id = event.pathParameters?.id ?? ''
  const rows = await db.select().from(mocs).where(eq(mocs.id, id))
  return { statusCode: 200, body: JSON.stringify(rows) }
}
