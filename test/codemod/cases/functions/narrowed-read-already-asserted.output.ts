import { DeleteObjectCommand } from '@aws-sdk/client-s3'
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda'
import { eq } from 'drizzle-orm'
import { db } from '../lib/db/client'
import { mocInstructions } from '../lib/db/schema'
import { BUCKET, s3 } from '../lib/storage/s3'
import { withTracing, traced } from '../lib/tracing'

export const handler = withTracing(
  {
    service: 'moc-instructions',
    annotations: {
      userId: { from: 'claim', name: 'sub' },
      mocId: { from: 'pathParameter', name: 'id' },
    },
  },
  async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
    const id = event.pathParameters?.id ?? ''
    const [moc] = await traced(
      'Database Query - SELECT moc_instructions',
      { annotations: { operation: 'SELECT', table: 'moc_instructions' } },
      () => db.select().from(mocInstructions).where(eq(mocInstructions.id, id)),
    )
    if (moc?.instructionsKey) {
      // Asserted already (needlessly): the codemod adds no second `!`.
      await traced(
        'S3 - Delete Object',
        {
          annotations: { operation: 'DeleteObject', bucket: BUCKET },
          metadata: { key: moc.instructionsKey! },
        },
        () => s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: moc.instructionsKey! })),
      )
    }
    return { statusCode: 204, body: '' }
  },
)
