import { DeleteObjectCommand } from '@aws-sdk/client-s3'
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda'
import { eq } from 'drizzle-orm'
import { db } from '../lib/db/client'
import { mocInstructions } from '../lib/db/schema'
import { BUCKET, s3 } from '../lib/storage/s3'

export const handler = async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
  const id = event.pathParameters?.id ?? ''
  const [moc] = await db.select().from(mocInstructions).where(eq(mocInstructions.id, id))
  if (moc?.instructionsKey) {
    // Asserted already (needlessly): the codemod adds no second `!`.
    await s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: moc.instructionsKey! }))
  }
  return { statusCode: 204, body: '' }
}
