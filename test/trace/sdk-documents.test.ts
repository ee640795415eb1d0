import { createRequire } from 'node:module'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { Context } from 'aws-lambda'
import { flatten, startCollector, subsegmentTree, type Collector } from '../../src/trace/collector'
import { serviceGraph } from '../../src/trace/service-graph'
import { validateDocument, validateTrace } from '../../src/trace/segment-rules'
import { invoke, lambdaEnvironment, newTraceHeader, restEvent } from '../support/lambda'
import { startOpenSearchServer, type OpenSearchServer } from '../support/opensearch-server'
import { startS3Server, type S3Server } from '../support/s3-server'

/*
 * What the real aws-xray-sdk-core sends in Lambda mode, received by the collector. The SDK reads
 * LAMBDA_TASK_ROOT and the daemon address when it loads, so it is imported only after
 * lambdaEnvironment (vitest gives each test file its own module registry).
 */

type XRay = typeof import('aws-xray-sdk-core')
let AWSXRay: XRay
let collector: Collector
let s3Server: S3Server
let searchServer: OpenSearchServer

beforeAll(async () => {
  collector = await startCollector()
  s3Server = await startS3Server()
  searchServer = await startOpenSearchServer({ indices: ['mocs'] })
  lambdaEnvironment(collector.address, { functionName: 'moc-instructions' })
  AWSXRay = (await import('aws-xray-sdk-core')).default as unknown as XRay
})

afterAll(async () => {
  await Promise.all([collector.close(), s3Server.close(), searchServer.close()])
})

beforeEach(() => collector.clear())

/** Sets a fresh sampled header, as Lambda does before an invocation. */
function startInvocation(sampled = true) {
  const trace = newTraceHeader(sampled)
  process.env._X_AMZN_TRACE_ID = trace.header
  return trace
}

describe('aws-xray-sdk-core in Lambda mode', () => {
  it('builds an unsent facade segment from _X_AMZN_TRACE_ID', () => {
    const trace = startInvocation()
    const facade = AWSXRay.getSegment() as unknown as Record<string, unknown>
    expect(facade.facade).toBe(true)
    expect(facade.trace_id).toBe(trace.traceId)
    // The facade takes the Lambda segment's id from the header's Parent.
    expect(facade.id).toBe(trace.parentId)
  })

  it('streams each subsegment as its own datagram when it closes, children first', async () => {
    const trace = startInvocation()
    const facade = AWSXRay.getSegment()!
    const handler = facade.addNewSubsegment('## moc-instructions')
    handler.addAnnotation('userId', 'user-1')
    const business = handler.addNewSubsegment('Database Query - Get MOC')
    business.addAnnotation('operation', 'SELECT')
    const query = business.addNewSubsegment('test@127.0.0.1')
    query.namespace = 'remote'

    query.close()
    const first = await collector.waitFor((docs) => docs.length === 1)
    expect(first[0].name).toBe('test@127.0.0.1')
    business.close()
    await collector.waitFor((docs) => docs.length === 2)
    handler.close()
    const docs = await collector.waitFor((d) => d.length === 3)

    // Every document is an independent subsegment naming its parent and trace; nothing is nested,
    // because each child was sent (and removed from its parent) before the parent closed.
    expect(docs.map((d) => [d.name, d.type, d.trace_id, d.parent_id])).toEqual([
      ['test@127.0.0.1', 'subsegment', trace.traceId, business.id],
      ['Database Query - Get MOC', 'subsegment', trace.traceId, handler.id],
      // The top-level subsegment's parent is the facade: the Parent of the trace header.
      ['## moc-instructions', 'subsegment', trace.traceId, trace.parentId],
    ])
    expect(docs.every((d) => d.subsegments === undefined)).toBe(true)
    expect(docs[2].annotations).toEqual({ userId: 'user-1' })
    expect(collector.problems()).toEqual([])
  })

  it('sends nothing until a subsegment closes, and nothing at all for an unclosed one', async () => {
    startInvocation()
    const open = AWSXRay.getSegment()!.addNewSubsegment('## never-closed')
    open.addNewSubsegment('child').close()
    const docs = await collector.waitForQuiet(150)
    expect(docs.map((d) => d.name)).toEqual(['child'])
  })

  it('sends nothing for an unsampled trace header', async () => {
    startInvocation(false)
    const handler = AWSXRay.getSegment()!.addNewSubsegment('## moc-instructions')
    handler.addNewSubsegment('Database Query - Get MOC').close()
    handler.close()
    expect(await collector.waitForQuiet(150)).toEqual([])
  })

  it('records an error with fault, message and stack frames', async () => {
    startInvocation()
    const handler = AWSXRay.getSegment()!.addNewSubsegment('## moc-instructions')
    handler.close(new Error('database unreachable'))
    const [doc] = await collector.waitFor((d) => d.length === 1)
    expect(doc.fault).toBe(true)
    const cause = doc.cause as {
      exceptions: Array<{ id: string; message: string; type: string; stack: unknown[] }>
    }
    expect(cause.exceptions[0]).toMatchObject({ message: 'database unreachable', type: 'Error' })
    expect(cause.exceptions[0].id).toMatch(/^[0-9a-f]{16}$/)
    expect(cause.exceptions[0].stack[0]).toMatchObject({
      path: expect.stringContaining('sdk-documents.test.ts'),
      line: expect.any(Number),
    })
    // The SDK's parser splits frames on ':', so Node's own frames (node:internal/...) and those of
    // an ESM bundle (file:///...) get `line: null`, which the rules reject as the service does; the
    // runtime parses frames itself (stack-frames.ts). Nothing else in the document is wrong.
    for (const problem of validateDocument(doc)) {
      expect(problem).toMatch(/cause\.exceptions\[0\]\.stack\[\d+\]\.line null is not an integer/)
    }
  })

  it('produces documents that satisfy the segment-document rules', async () => {
    startInvocation()
    const handler = AWSXRay.getSegment()!.addNewSubsegment('## moc-instructions')
    handler.addAnnotation('Service', 'moc-instructions')
    handler.addAnnotation('ColdStart', true)
    handler.addMetadata('requestId', 'abc')
    const child = handler.addNewSubsegment('Redis - Get Cache')
    child.addAnnotation('operation', 'GET')
    child.close()
    handler.close()
    await collector.waitFor((d) => d.length === 2)
    for (const { document, raw } of collector.received()) {
      expect(validateDocument(document, raw)).toEqual([])
    }
    expect(validateTrace(collector.documents())).toEqual([])
  })
})

describe('documents from real captures', () => {
  it('an S3 call through captureAWSv3Client is an aws-namespace subsegment the graph links to the function', async () => {
    const { S3Client, PutObjectCommand } = await import('@aws-sdk/client-s3')
    const s3 = AWSXRay.captureAWSv3Client(
      new S3Client({ region: 'us-east-1', endpoint: s3Server.endpoint, forcePathStyle: true }),
    )
    // In automatic mode captureAsyncFunc ignores its `parent` argument and nests under the
    // subsegment in context, so the function subsegment is opened with it too (that sets context).
    const handler = (_event: unknown, context: Context) =>
      AWSXRay.captureAsyncFunc(`## ${context.functionName}`, async (fn) => {
        try {
          await AWSXRay.captureAsyncFunc('S3 - Put Instructions', async (business) => {
            try {
              await s3.send(
                new PutObjectCommand({
                  Bucket: 'lego',
                  Key: 'mocs/u/m/instructions.pdf',
                  Body: 'pdf',
                }),
              )
            } finally {
              business?.close()
            }
          })
          return { statusCode: 201 }
        } finally {
          fn?.close()
        }
      })
    const { traceId, parentId } = await invoke(
      handler,
      restEvent({ method: 'POST', resource: '/api/mocs' }),
      {
        functionName: 'moc-instructions',
      },
    )
    const docs = await collector.waitFor((d) => d.some((doc) => doc.name === '## moc-instructions'))

    const s3Doc = flatten(docs).find((e) => e.name === 'S3')!
    expect(s3Doc.entity).toMatchObject({
      namespace: 'aws',
      aws: { operation: 'PutObject', region: 'us-east-1' },
      http: { response: { status: 200 } },
    })
    expect(s3Doc.entity.aws?.request_id).toBe(s3Server.requests()[0].requestId)

    const [root] = subsegmentTree(docs, traceId)
    expect(root.name).toBe('## moc-instructions')
    expect(root.parentId).toBe(parentId)
    expect(root.children.map((c) => c.name)).toEqual(['S3 - Put Instructions'])
    expect(root.children[0].children.map((c) => c.name)).toEqual(['S3'])

    expect(serviceGraph(docs)).toEqual(new Map([['moc-instructions', new Set(['S3'])]]))
    for (const { document, raw } of collector.received())
      expect(validateDocument(document, raw)).toEqual([])
  })

  it('an OpenSearch call through captureHTTPsGlobal is a remote subsegment named after the host', async () => {
    // The patcher redefines `request` on the module object it is given: that must be the CommonJS
    // module (what the client's require('http') returns), not an ESM namespace, which is sealed.
    const http = createRequire(import.meta.url)('node:http') as typeof import('node:http')
    AWSXRay.captureHTTPsGlobal(http, true)
    const { Client } = await import('@opensearch-project/opensearch')
    const search = new Client({ node: searchServer.endpoint })
    const handler = (_event: unknown, context: Context) =>
      AWSXRay.captureAsyncFunc(`## ${context.functionName}`, async (fn) => {
        try {
          const result = await AWSXRay.captureAsyncFunc(
            'OpenSearch - Search MOCs',
            async (business) => {
              try {
                return await search.search({
                  index: 'mocs',
                  body: { query: { match: { title: 'castle' } } },
                })
              } finally {
                business?.close()
              }
            },
          )
          return { statusCode: 200, hits: result.body.hits.total }
        } finally {
          fn?.close()
        }
      })
    const { result, traceId } = await invoke(
      handler,
      restEvent({ method: 'GET', resource: '/api/mocs', query: { q: 'castle' } }),
      {
        functionName: 'moc-instructions',
      },
    )
    expect(result).toEqual({ statusCode: 200, hits: { value: 0, relation: 'eq' } })
    const docs = await collector.waitFor((d) => d.some((doc) => doc.name === '## moc-instructions'))
    const remote = flatten(docs).find((e) => e.entity.namespace === 'remote')!
    expect(remote.name).toBe('127.0.0.1')
    expect(remote.entity.http).toMatchObject({
      // The SDK builds the URL from protocol, hostname and path: the port is dropped.
      request: { method: 'POST', url: 'http://127.0.0.1/mocs/_search' },
      response: { status: 200 },
    })
    expect(subsegmentTree(docs, traceId)[0].children[0].children.map((c) => c.name)).toEqual([
      '127.0.0.1',
    ])
    expect(serviceGraph(docs)).toEqual(new Map([['moc-instructions', new Set(['127.0.0.1'])]]))
  })
})
