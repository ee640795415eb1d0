import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3'
import { getSignedUrl } from '@aws-sdk/s3-request-presigner'
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda'
import { BUCKET, s3 } from '../lib/storage/s3'

export const handler = async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
  const id = event.pathParameters?.id ?? ''
  const Key = `mocs/${id}.pdf`
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key, Body: event.body ?? '' }))
  // Neither the bucket nor the key is a plain expression here: neither is copied.
  await s3.send(new PutObjectCommand({ Bucket: BUCKET.trim(), Key: Key.toLowerCase() }))
  const url = await getSignedUrl(s3, new GetObjectCommand({ Bucket: BUCKET, Key }), {
    expiresIn: 3600,
  })
  return { statusCode: 200, body: JSON.stringify({ url }) }
}
