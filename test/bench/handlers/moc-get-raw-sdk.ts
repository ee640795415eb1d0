import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3'
import { getSignedUrl } from '@aws-sdk/s3-request-presigner'
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda'
import AWSXRay from 'aws-xray-sdk-core'
import captureModule from 'aws-xray-sdk-postgres'
import { eq } from 'drizzle-orm'
import pg from 'pg'
import { redis } from '../../fixtures/lego-api/src/lib/cache/redis'
import { db } from '../../fixtures/lego-api/src/lib/db/client'
import { mocInstructions } from '../../fixtures/lego-api/src/lib/db/schema'
import { notFound, ok } from '../../fixtures/lego-api/src/lib/http/responses'
// The full handler also searches: loading the same clients keeps bundle size and module init
// comparable with the untraced fixture and the generated handler.
import '../../fixtures/lego-api/src/lib/search/opensearch'

/*
 * MOC GET /api/mocs/{id} traced with aws-xray-sdk-core used directly, as the story does (with its
 * mistakes corrected so the trace is the same as ours: annotations on a `## handler` subsegment,
 * every subsegment closed): captureAsyncFunc around each business step, aws-xray-sdk-postgres
 * for pg, captureAWSv3Client for S3, a remote subsegment per Redis command. Bundled without the
 * alias: the SDK's own cls-hooked context.
 */

const capturePostgres = captureModule as unknown as (module: unknown) => void
capturePostgres(pg)
const s3 = AWSXRay.captureAWSv3Client(
  new S3Client({ region: process.env.AWS_REGION, forcePathStyle: true }),
)
const BUCKET = process.env.S3_BUCKET ?? ''

type Sub = AWSXRay.Subsegment

function step<T>(name: string, fn: (subsegment: Sub) => Promise<T>): Promise<T> {
  return AWSXRay.captureAsyncFunc(name, async (subsegment) => {
    try {
      return await fn(subsegment!)
    } catch (error) {
      subsegment?.addError(error as Error)
      throw error
    } finally {
      subsegment?.close()
    }
  })
}

function redisCall<T>(fn: () => Promise<T>): Promise<T> {
  return step('Redis', async (subsegment) => {
    subsegment.namespace = 'remote'
    return fn()
  })
}

export const handler = async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> =>
  step(`## ${process.env.AWS_LAMBDA_FUNCTION_NAME}`, async (subsegment) => {
    const id = event.pathParameters!.id!
    subsegment.addAnnotation('Service', 'moc-instructions')
    subsegment.addAnnotation('userId', event.requestContext.authorizer?.claims?.sub)
    subsegment.addAnnotation('mocId', id)
    const key = `moc:${id}`
    const cached = await step('Redis - Get Cache', () => redisCall(() => redis.get(key)))
    let moc = cached ? JSON.parse(cached) : undefined
    if (!moc) {
      const [row] = await step('Database Query - SELECT moc_instructions', () =>
        db.select().from(mocInstructions).where(eq(mocInstructions.id, id)),
      )
      if (!row) return notFound('MOC not found')
      moc = { ...row, createdAt: row.createdAt.toISOString() }
      await step('Redis - Set Cache', () =>
        redisCall(() => redis.set(key, JSON.stringify(moc), { EX: 300 })),
      )
    }
    const instructionsUrl = await step('S3 - Generate Presigned URL', () =>
      getSignedUrl(s3, new GetObjectCommand({ Bucket: BUCKET, Key: moc.instructionsKey }), {
        expiresIn: 3600,
      }),
    )
    const response = ok({ ...moc, instructionsUrl })
    subsegment.addAttribute('http', { response: { status: response.statusCode } })
    return response
  })
