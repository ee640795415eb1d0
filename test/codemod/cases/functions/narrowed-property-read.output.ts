import { DeleteObjectCommand, GetObjectCommand } from '@aws-sdk/client-s3'
import { getSignedUrl } from '@aws-sdk/s3-request-presigner'
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
    if (!moc) return { statusCode: 404, body: '' }
    // `instructionsKey` is `string | null`, narrowed here; inside the traced callback TypeScript
    // forgets the narrowing, so the codemod asserts it with `!`.
    if (moc.instructionsKey) {
      await traced(
        'S3 - Delete Object',
        {
          annotations: { operation: 'DeleteObject', bucket: BUCKET },
          metadata: { key: moc.instructionsKey },
        },
        () => s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: moc.instructionsKey! })),
      )
    }
    const url = moc.instructionsKey
      ? await traced(
          'S3 - Generate Presigned URL',
          {
            annotations: { operation: 'getSignedUrl', bucket: BUCKET },
            metadata: { key: moc.instructionsKey },
          },
          () =>
            getSignedUrl(s3, new GetObjectCommand({ Bucket: BUCKET, Key: moc.instructionsKey! })),
        )
      : null
    return { statusCode: 200, body: JSON.stringify({ url }) }
  },
)
