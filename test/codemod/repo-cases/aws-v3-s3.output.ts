import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3'
import { getSignedUrl } from '@aws-sdk/s3-request-presigner'
import { traced, withTracing } from './lib/tracing'
import { captureAWSv3Client } from './lib/tracing/aws-client'

const s3 = captureAWSv3Client(new S3Client({ region: process.env.AWS_REGION }))
const BUCKET = process.env.BUCKET

export const handler = withTracing({ service: 'aws-v3-s3' }, async (event: { key: string; body: string }) => {
  await traced('S3 - Put Object', { annotations: { operation: 'PutObject', bucket: BUCKET }, metadata: { key: event.key } }, () => s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: event.key, Body: event.body })))
  const url = await traced('S3 - Generate Presigned URL', { annotations: { operation: 'getSignedUrl', bucket: BUCKET }, metadata: { key: event.key } }, () => getSignedUrl(s3, new GetObjectCommand({ Bucket: BUCKET, Key: event.key }), {
    expiresIn: 300,
  }))
  return { url }
})
