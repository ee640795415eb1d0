import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3'
import { getSignedUrl } from '@aws-sdk/s3-request-presigner'

const s3 = new S3Client({ region: process.env.AWS_REGION })
const BUCKET = process.env.BUCKET

export const handler = async (event: { key: string; body: string }) => {
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: event.key, Body: event.body }))
  const url = await getSignedUrl(s3, new GetObjectCommand({ Bucket: BUCKET, Key: event.key }), {
    expiresIn: 300,
  })
  return { url }
}
