import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3'
import { getSignedUrl } from '@aws-sdk/s3-request-presigner'
import { Tracer } from '@aws-lambda-powertools/tracer'
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda'
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
 * MOC GET /api/mocs/{id} traced with Powertools Tracer, following its manual-instrumentation
 * example for the handler subsegment, `provider.captureAsyncFunc` for the business steps (what
 * its `captureMethod` decorator does), `captureAWSv3Client` for S3 and aws-xray-sdk-postgres for
 * pg (Powertools has no capture of its own for pg). Defaults kept: HTTP(S) capture on.
 */

const tracer = new Tracer({ serviceName: 'moc-instructions' })
const capturePostgres = captureModule as unknown as (module: unknown) => void
capturePostgres(pg)
const s3 = tracer.captureAWSv3Client(
  new S3Client({ region: process.env.AWS_REGION, forcePathStyle: true }),
)
const BUCKET = process.env.S3_BUCKET ?? ''

type Sub = NonNullable<ReturnType<Tracer['getSegment']>>

function step<T>(name: string, fn: (subsegment: Sub) => Promise<T>): Promise<T> {
  return tracer.provider.captureAsyncFunc(name, async (subsegment: Sub | undefined) => {
    try {
      return await fn(subsegment!)
    } catch (error) {
      subsegment?.addError(error as Error)
      throw error
    } finally {
      subsegment?.close()
    }
  }) as Promise<T>
}

function redisCall<T>(fn: () => Promise<T>): Promise<T> {
  return step('Redis', async (subsegment) => {
    ;(subsegment as { namespace?: string }).namespace = 'remote'
    return fn()
  })
}

async function getMoc(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  const id = event.pathParameters!.id!
  tracer.putAnnotation('userId', event.requestContext.authorizer?.claims?.sub)
  tracer.putAnnotation('mocId', id)
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
  return ok({ ...moc, instructionsUrl })
}

export const handler = async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
  const segment = tracer.getSegment()
  let subsegment: Sub | undefined
  if (segment) {
    subsegment = segment.addNewSubsegment(`## ${process.env.AWS_LAMBDA_FUNCTION_NAME}`)
    tracer.setSegment(subsegment)
  }
  tracer.annotateColdStart()
  tracer.addServiceNameAnnotation()
  try {
    const response = await getMoc(event)
    tracer.addResponseAsMetadata(response, process.env.AWS_LAMBDA_FUNCTION_NAME)
    return response
  } catch (error) {
    tracer.addErrorAsMetadata(error as Error)
    throw error
  } finally {
    if (segment && subsegment) {
      subsegment.close()
      tracer.setSegment(segment)
    }
  }
}
