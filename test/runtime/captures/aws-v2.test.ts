import type S3 from 'aws-sdk/clients/s3.js'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startS3Server, type S3Server } from '../../support/s3-server'
import { startHttpServer } from './http-server'
import { exceptionsOf, refusedPort, startCaptureHarness, type CaptureHarness } from './harness'

let S3Client: typeof S3
let harness: CaptureHarness
let s3Server: S3Server
let captureAWSv2Client: typeof import('../../../generated/lego-api/src/lib/tracing/capture-aws-v2').captureAWSv2Client

const BUCKET = 'captures-bucket'

function s3Client(endpoint = s3Server.endpoint): S3 {
  return new S3Client({ endpoint, s3ForcePathStyle: true, region: 'us-east-1', maxRetries: 0 })
}

/** The trace id of the invocation running now (invoke sets the header before the handler runs). */
function currentTraceId(): string {
  return process.env._X_AMZN_TRACE_ID!.split(';')[0]!.slice('Root='.length)
}

beforeAll(async () => {
  harness = await startCaptureHarness()
  // aws-sdk v2 prints its end-of-support notice when loaded, unless told not to.
  process.env.AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE = '1'
  S3Client = (await import('aws-sdk/clients/s3.js')).default
  s3Server = await startS3Server()
  ;({ captureAWSv2Client } =
    await import('../../../generated/lego-api/src/lib/tracing/capture-aws-v2'))
})

afterAll(async () => {
  await s3Server?.close()
  await harness?.close()
})

beforeEach(() => s3Server.clear())

describe('captureAWSv2Client (real aws-sdk v2, loopback S3)', () => {
  it('records .promise() and callback calls as aws S3 subsegments with operation, region, request id, parameters and status, and sends the trace header', async () => {
    const s3 = captureAWSv2Client(s3Client())
    const key = 'mocs/user-1/moc-1/instructions.pdf'
    let traceId = ''
    let length: number | undefined
    const { docs, raw } = await harness.traceOf(async () => {
      traceId = currentTraceId()
      await s3.putObject({ Bucket: BUCKET, Key: key, Body: 'pdf-body-never-recorded' }).promise()
      length = await new Promise<number | undefined>((resolve, reject) => {
        s3.headObject({ Bucket: BUCKET, Key: key }, (error, data) =>
          error ? reject(error) : resolve(data.ContentLength),
        )
      })
    })
    expect(length).toBe('pdf-body-never-recorded'.length)
    expect(s3Server.object(BUCKET, key)).toBeDefined()
    const [put, head] = docs.filter((d) => d.name === 'S3')
    const [putRequest, headRequest] = s3Server.requests()
    expect(put!.namespace).toBe('aws')
    expect(put!.aws).toMatchObject({
      operation: 'PutObject',
      region: 'us-east-1',
      bucket_name: BUCKET,
      key,
      request_id: putRequest!.requestId,
      retries: 0,
    })
    expect(put!.http!.response!.status).toBe(200)
    expect(put!.fault ?? false).toBe(false)
    expect(put!.error ?? false).toBe(false)
    expect(putRequest!.headers['x-amzn-trace-id']).toBe(
      `Root=${traceId};Parent=${put!.id};Sampled=1`,
    )
    expect(head!.aws).toMatchObject({ operation: 'HeadObject', request_id: headRequest!.requestId })
    expect(headRequest!.headers['x-amzn-trace-id']).toContain(`;Parent=${head!.id};`)
    expect(JSON.stringify(raw)).not.toContain('never-recorded')
  })

  it('traces a DocumentClient (its own copy of the service) with the table name', async () => {
    const { default: DynamoDB } = await import('aws-sdk/clients/dynamodb.js')
    const server = await startHttpServer()
    try {
      const documents = captureAWSv2Client(
        new DynamoDB.DocumentClient({
          endpoint: server.origin,
          region: 'eu-west-1',
          maxRetries: 0,
        }),
      )
      const { docs, raw } = await harness.traceOf(() =>
        documents.put({ TableName: 'orders', Item: { id: 'item-value-secret' } }).promise(),
      )
      const call = docs.find((d) => d.name === 'DynamoDB')!
      expect(call.namespace).toBe('aws')
      expect(call.aws).toMatchObject({
        operation: 'PutItem',
        region: 'eu-west-1',
        table_name: 'orders',
      })
      expect(call.http!.response!.status).toBe(200)
      expect(server.requests()[0]!.headers['x-amz-target']).toBe('DynamoDB_20120810.PutItem')
      expect(JSON.stringify(raw)).not.toContain('item-value-secret')
    } finally {
      await server.close()
    }
  })

  it('marks a 4xx answer as an error, not a fault', async () => {
    const s3 = captureAWSv2Client(s3Client())
    let code: unknown
    const { docs } = await harness.traceOf(async () => {
      await s3
        .getObject({ Bucket: BUCKET, Key: 'no/such/key' })
        .promise()
        .catch((error: { code?: string }) => (code = error.code))
    })
    expect(code).toBe('NoSuchKey')
    const missing = docs.find((d) => d.name === 'S3')!
    expect(missing.aws).toMatchObject({ operation: 'GetObject', key: 'no/such/key' })
    expect(missing.http!.response!.status).toBe(404)
    expect(missing.error).toBe(true)
    expect(missing.fault ?? false).toBe(false)
  })

  it('records a call that gets no answer as a fault with its exception', async () => {
    const s3 = captureAWSv2Client(s3Client(`http://127.0.0.1:${await refusedPort()}`))
    let thrown: unknown
    const { docs } = await harness.traceOf(async () => {
      await s3
        .putObject({ Bucket: BUCKET, Key: 'k', Body: 'x' })
        .promise()
        .catch((error: unknown) => (thrown = error))
    })
    // aws-sdk v2 reports a refused connection as an inaccessible endpoint.
    expect((thrown as { code?: string }).code).toBe('UnknownEndpoint')
    const call = docs.find((d) => d.name === 'S3')!
    expect(call.namespace).toBe('aws')
    expect(call.aws).toMatchObject({ operation: 'PutObject' })
    expect(call.fault).toBe(true)
    expect(exceptionsOf(call)[0]!.message).toBe((thrown as Error).message)
    expect((thrown as Error).message).toContain('Inaccessible host')
  })

  it('on an unsampled trace records nothing but passes Sampled=0 on, and the call still works', async () => {
    const s3 = captureAWSv2Client(s3Client())
    const { raw } = await harness.traceOf(
      () => s3.putObject({ Bucket: BUCKET, Key: 'unsampled', Body: 'x' }).promise(),
      false,
    )
    expect(raw).toEqual([])
    expect(s3Server.object(BUCKET, 'unsampled')).toBeDefined()
    expect(s3Server.requests()[0]!.headers['x-amzn-trace-id']).toMatch(
      /^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0$/,
    )
  })

  it('capturing twice records one subsegment per call, and keeps a request handler set before', async () => {
    const client = s3Client()
    const customized: string[] = []
    // On every service client, though missing from aws-sdk's typings.
    const customizable = client as unknown as {
      customizeRequests(handler: (request: { operation: string }) => void): void
    }
    customizable.customizeRequests((request) => {
      customized.push(request.operation)
    })
    const s3 = captureAWSv2Client(captureAWSv2Client(client))
    const { docs } = await harness.traceOf(() =>
      s3.putObject({ Bucket: BUCKET, Key: 'twice', Body: 'x' }).promise(),
    )
    expect(docs.filter((d) => d.name === 'S3')).toHaveLength(1)
    expect(customized).toEqual(['putObject'])
  })

  it('does not trace a presigned URL (no request is made) and never records it', async () => {
    const s3 = captureAWSv2Client(s3Client())
    let url = ''
    const { docs, raw } = await harness.traceOf(async () => {
      url = await s3.getSignedUrlPromise('getObject', { Bucket: BUCKET, Key: 'a.pdf', Expires: 60 })
    })
    expect(url).toContain('Signature=')
    // The handler's subsegment was sent, so nothing left under it stayed open.
    expect(docs.some((d) => d.name === '## captures')).toBe(true)
    expect(docs.filter((d) => d.name === 'S3')).toEqual([])
    expect(JSON.stringify(raw)).not.toContain('Signature')
    expect(s3Server.requests()).toEqual([])
  })
})
