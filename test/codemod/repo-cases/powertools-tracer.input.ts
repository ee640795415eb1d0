import { Tracer } from '@aws-lambda-powertools/tracer'
import { S3Client, GetObjectCommand } from '@aws-sdk/client-s3'

const tracer = new Tracer({ serviceName: 'files' })
const s3 = tracer.captureAWSv3Client(new S3Client({}))

export const handler = async (event: { key: string }) => {
  return s3.send(new GetObjectCommand({ Bucket: 'files', Key: event.key }))
}
