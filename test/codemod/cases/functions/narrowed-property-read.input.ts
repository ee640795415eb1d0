import { DeleteObjectCommand, GetObjectCommand } from '@aws-sdk/client-s3'
import { getSignedUrl } from '@aws-sdk/s3-request-presigner'
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda'
import { eq } from 'drizzle-orm'
import { db } from '../lib/db/client'
import { mocInstructions } from '../lib/db/schema'
import { BUCKET, s3 } from '../lib/storage/s3'

export const handler = async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
  const id = event.pathParameters?.id ?? ''
  const [moc] = await db.select().from(mocInstructions).where(eq(mocInstructions.id, id))
  if (!moc) return { statusCode: 404, body: '' }
  // `instructionsKey` is `string | null`, narrowed here; inside the traced callback TypeScript
  // forgets the narrowing, so the codemod asserts it with `!`.
  if (moc.instructionsKey) {
    await s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: moc.instructionsKey }))
  }
  const url = moc.instructionsKey
    ? await getSignedUrl(s3, new GetObjectCommand({ Bucket: BUCKET, Key: moc.instructionsKey }))
    : null
  return { statusCode: 200, body: JSON.stringify({ url }) }
}
