import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda'
import { eq } from 'drizzle-orm'
import { db } from '../lib/db/client'
import { mocInstructions as mocs } from '../lib/db/schema'

export const handler = async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
  const id = event.pathParameters?.id ?? ''
  // `db.query` is keyed by the schema's export name, whatever this file calls the table.
  const moc = await db.query.mocInstructions.findFirst({ where: eq(mocs.id, id) })
  return { statusCode: moc ? 200 : 404, body: JSON.stringify(moc) }
}
