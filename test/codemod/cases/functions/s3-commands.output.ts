import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3'
import { getSignedUrl } from '@aws-sdk/s3-request-presigner'
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda'
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
    const Key = `mocs/${id}.pdf`
    await traced(
      'S3 - Put Object',
      { annotations: { operation: 'PutObject', bucket: BUCKET }, metadata: { key: Key } },
      () => s3.send(new PutObjectCommand({ Bucket: BUCKET, Key, Body: event.body ?? '' })),
    )
    // Neither the bucket nor the key is a plain expression here: neither is copied.
    await traced('S3 - Put Object', { annotations: { operation: 'PutObject' } }, () =>
      s3.send(new PutObjectCommand({ Bucket: BUCKET.trim(), Key: Key.toLowerCase() })),
    )
    const url = await traced(
      'S3 - Generate Presigned URL',
      { annotations: { operation: 'getSignedUrl', bucket: BUCKET }, metadata: { key: Key } },
      () =>
        getSignedUrl(s3, new GetObjectCommand({ Bucket: BUCKET, Key }), {
          expiresIn: 3600,
        }),
    )
    return { statusCode: 200, body: JSON.stringify({ url }) }
  },
)
