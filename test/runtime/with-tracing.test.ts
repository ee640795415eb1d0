import type { APIGatewayProxyEvent, Context } from 'aws-lambda'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { flatten, startCollector, type Collector } from '../../src/trace/collector'
import type {
  EntityDocument,
  ExceptionDocument,
  SegmentDocument,
} from '../../src/trace/segment-document'
import { validateDocument } from '../../src/trace/segment-rules'
import {
  httpApiEvent,
  invoke,
  lambdaEnvironment,
  restEvent,
  type InvokeOptions,
} from '../support/lambda'

type Runtime = typeof import('../../generated/lego-api/src/lib/tracing/index')

let collector: Collector
let rt: Runtime

beforeAll(async () => {
  collector = await startCollector()
  lambdaEnvironment(collector.address)
  // The SDK decides Lambda mode when it loads: import only after the environment is set.
  rt = await import('../../generated/lego-api/src/lib/tracing/index')
})
afterAll(() => collector.close())
beforeEach(() => collector.clear())

const FUNCTION_NAME = 'moc-instructions'
const HANDLER_NAME = `## ${FUNCTION_NAME}`

const config = {
  service: 'moc-instructions',
  annotations: {
    userId: { from: 'claim' as const, name: 'sub' },
    mocId: { from: 'pathParameter' as const, name: 'id' },
  },
}

/** A REST (v1) GET of MOC `moc-1` by `user-1`. */
function getMocEvent() {
  return restEvent({ method: 'GET', resource: '/api/mocs/{id}', pathParameters: { id: 'moc-1' } })
}

/** Invokes a handler as the `moc-instructions` function, with a fresh trace header. */
function call<R>(
  handler: (event: APIGatewayProxyEvent, context: Context) => Promise<R>,
  options: InvokeOptions = {},
) {
  return invoke(handler, getMocEvent(), { functionName: FUNCTION_NAME, ...options })
}

async function handlerDoc(traceId: string) {
  const docs = await collector.waitFor((d) => d.some((doc) => doc.name === HANDLER_NAME), 5000)
  const doc = docs.find((d) => d.name === HANDLER_NAME)!
  expect(doc.trace_id).toBe(traceId)
  expect(doc.in_progress).toBeUndefined()
  expect(typeof doc.end_time).toBe('number')
  return { doc, docs }
}

/** The (sub)segment named `name` among the documents, nested ones included. */
function entityNamed(docs: SegmentDocument[], name: string): EntityDocument {
  return flatten(docs).find((entity) => entity.name === name)!.entity
}

/** The id of the parent of the (sub)segment named `name`, whether nested or sent on its own. */
function parentIdOf(docs: SegmentDocument[], name: string): string | undefined {
  return flatten(docs).find((entity) => entity.name === name)!.parentId
}

/** The exceptions recorded in an entity's `cause`. */
function exceptionsOf(entity: EntityDocument): ExceptionDocument[] {
  const cause = entity.cause
  if (typeof cause !== 'object' || !cause.exceptions) {
    throw new Error(`${entity.name} records no exceptions: ${JSON.stringify(cause)}`)
  }
  return cause.exceptions
}

/** The trace id of the header Lambda (and `invoke`) leaves set after an invocation. */
function currentTraceId(): string {
  return /Root=([^;]+)/.exec(process.env._X_AMZN_TRACE_ID ?? '')![1]
}

describe('withTracing', () => {
  it('sends the handler subsegment with the request annotations and metadata on success', async () => {
    const handler = rt.withTracing(config, async () => ({ statusCode: 200, body: '{}' }))
    const event = getMocEvent()
    const { result, traceId, parentId } = await invoke(handler, event, {
      functionName: FUNCTION_NAME,
    })
    expect(result).toEqual({ statusCode: 200, body: '{}' })
    const { doc } = await handlerDoc(traceId)
    expect(doc.parent_id).toBe(parentId)
    expect(doc.type).toBe('subsegment')
    expect(doc.annotations).toMatchObject({
      Service: 'moc-instructions',
      method: 'GET',
      path: '/api/mocs/moc-1',
      route: '/api/mocs/{id}',
      userId: 'user-1',
      mocId: 'moc-1',
    })
    expect(doc.annotations!.ColdStart).toBe(true)
    expect(doc.metadata!.default).toMatchObject({
      requestId: event.requestContext.requestId,
      stage: 'prod',
    })
    expect(doc.http).toEqual({ response: { status: 200 } })
    expect(doc.fault).toBeUndefined()
    expect(doc.error).toBeUndefined()
  })

  it('marks ColdStart only on the first invocation of the process', async () => {
    const handler = rt.withTracing(config, async () => ({ statusCode: 200, body: '' }))
    const { traceId } = await call(handler)
    const { doc } = await handlerDoc(traceId)
    expect(doc.annotations!.ColdStart).toBe(false)
  })

  it('reads HTTP API (v2) events: JWT claims, rawPath, route from routeKey', async () => {
    const handler = rt.withTracing(config, async () => ({ statusCode: 204 }))
    const event = httpApiEvent({
      method: 'DELETE',
      resource: '/api/mocs/{id}',
      pathParameters: { id: 'm-9' },
      userId: 'user-2',
    })
    const { traceId } = await invoke(handler, event, { functionName: FUNCTION_NAME })
    const { doc } = await handlerDoc(traceId)
    expect(doc.annotations).toMatchObject({
      method: 'DELETE',
      path: '/api/mocs/m-9',
      route: '/api/mocs/{id}',
      userId: 'user-2',
      mocId: 'm-9',
    })
  })

  it('marks a 4xx result as an error and a 5xx result as a fault, and still closes', async () => {
    for (const [status, flag] of [
      [404, 'error'],
      [500, 'fault'],
    ] as const) {
      collector.clear()
      const handler = rt.withTracing(config, async () => ({ statusCode: status, body: '' }))
      const { traceId } = await call(handler)
      const { doc } = await handlerDoc(traceId)
      expect(doc.http!.response!.status).toBe(status)
      expect(doc[flag]).toBe(true)
      expect(doc[flag === 'error' ? 'fault' : 'error']).toBeUndefined()
    }
  })

  it('records a throw as a fault with the exception and its stack, rethrows, and sends it', async () => {
    const boom = new Error('database exploded')
    const handler = rt.withTracing(config, async () => {
      await new Promise((resolve) => setTimeout(resolve, 1))
      throw boom
    })
    await expect(call(handler)).rejects.toBe(boom)
    const { doc } = await handlerDoc(currentTraceId())
    expect(doc.fault).toBe(true)
    const [exception] = exceptionsOf(doc)
    expect(exception.message).toBe('database exploded')
    expect(exception.type).toBe('Error')
    expect(exception.stack!.length).toBeGreaterThan(0)
  })

  it('sends the handler subsegment when a traced dependency call inside it rejects', async () => {
    const handler = rt.withTracing(config, async () => {
      try {
        await rt.traced(
          'Database Query - Get MOC',
          { annotations: { table: 'moc_instructions' } },
          async () => {
            throw new Error('connection refused')
          },
        )
      } catch (error) {
        rt.captureError(error)
        return { statusCode: 500, body: '' }
      }
      return { statusCode: 200, body: '' }
    })
    const { traceId } = await call(handler)
    const { docs, doc } = await handlerDoc(traceId)
    const child = entityNamed(docs, 'Database Query - Get MOC')
    expect(parentIdOf(docs, 'Database Query - Get MOC')).toBe(doc.id)
    expect(child.fault).toBe(true)
    expect(exceptionsOf(child)[0].message).toBe('connection refused')
    expect(child.end_time).toBeGreaterThanOrEqual(child.start_time)
    expect(doc.fault).toBe(true)
  })

  it('sends nothing for an unsampled trace and returns the same result', async () => {
    const handler = rt.withTracing(config, async () =>
      rt.traced('Redis - Get Cache', {}, async () => ({ statusCode: 200, body: 'ok' })),
    )
    const unsampled = await call(handler, { sampled: false })
    expect(unsampled.result).toEqual({ statusCode: 200, body: 'ok' })
    // A sampled invocation afterwards proves the socket works and orders the check.
    const { traceId } = await call(rt.withTracing(config, async () => ({ statusCode: 200 })))
    const docs = await collector.waitFor((d) => d.some((doc) => doc.trace_id === traceId), 5000)
    expect(docs.every((doc) => doc.trace_id === traceId)).toBe(true)
  })
})

describe('traced', () => {
  it('nests under the handler subsegment with annotations, metadata and rowCount', async () => {
    const handler = rt.withTracing(config, async () => {
      const rows = await rt.traced(
        'Database Query - List MOCs',
        {
          annotations: { operation: 'SELECT', table: 'moc_instructions', skipped: undefined },
          metadata: { q: 'castle' },
        },
        async (span) => {
          span.annotate('cached', false)
          return [1, 2, 3]
        },
      )
      return { statusCode: 200, body: String(rows.length) }
    })
    const { traceId } = await call(handler)
    const { docs, doc } = await handlerDoc(traceId)
    const child = entityNamed(docs, 'Database Query - List MOCs')
    expect(parentIdOf(docs, 'Database Query - List MOCs')).toBe(doc.id)
    expect(child.annotations).toEqual({
      operation: 'SELECT',
      table: 'moc_instructions',
      cached: false,
    })
    expect(child.metadata!.default).toEqual({ q: 'castle', rowCount: 3 })
  })

  it('closes on a throw, records it, rethrows, and restores the parent context', async () => {
    const handler = rt.withTracing(config, async () => {
      await expect(
        rt.traced('S3 - Put Object', {}, () => {
          throw new TypeError('bad key')
        }),
      ).rejects.toThrow('bad key')
      // Back in the handler's context: this sibling must hang off the handler subsegment.
      await rt.traced('after', {}, () => 1)
      return { statusCode: 200 }
    })
    const { traceId } = await call(handler)
    const { docs, doc } = await handlerDoc(traceId)
    const failed = entityNamed(docs, 'S3 - Put Object')
    expect(failed.fault).toBe(true)
    expect(exceptionsOf(failed)[0]).toMatchObject({ message: 'bad key', type: 'TypeError' })
    expect(typeof failed.end_time).toBe('number')
    expect(parentIdOf(docs, 'after')).toBe(doc.id)
  })

  it('runs the function and never throws when there is no trace context', async () => {
    delete process.env._X_AMZN_TRACE_ID
    await expect(rt.traced('outside', { annotations: { a: 1 } }, () => 42)).resolves.toBe(42)
    expect(() => rt.captureError(new Error('x'))).not.toThrow()
  })
})

describe('annotations', () => {
  it('validates keys and values and keeps at most 50 per subsegment, without throwing', async () => {
    expect(rt.isValidAnnotationKey('user_Id9')).toBe(true)
    expect(rt.isValidAnnotationKey('user-id')).toBe(false)
    expect(rt.isValidAnnotationKey('')).toBe(false)
    const handler = rt.withTracing(config, async () =>
      rt.traced('many', {}, (span) => {
        span.annotate('bad key', 'x')
        span.annotate('obj', { a: 1 } as any)
        for (let i = 0; i < 60; i++) span.annotate(`k${i}`, i)
        return { statusCode: 200 }
      }),
    )
    const { traceId, logs } = await call(handler)
    const { docs } = await handlerDoc(traceId)
    const many = entityNamed(docs, 'many')
    const keys = Object.keys(many.annotations!)
    expect(keys).toHaveLength(50)
    expect(keys).not.toContain('bad key')
    expect(keys).not.toContain('obj')
    const warnings = logs.map((l) => JSON.parse(l)).filter((l) => l.level === 'WARN')
    expect(warnings.filter((w) => w.message.includes('at most 50'))).toHaveLength(1)
  })
})

describe('logger', () => {
  it('writes JSON lines carrying the invocation trace id, request id and cold start', async () => {
    const handler = rt.withTracing(config, async () => {
      rt.logger.info('loading MOC', { mocId: 'moc-1' })
      rt.logger.error('failed', new RangeError('out of range'))
      return { statusCode: 200 }
    })
    const { traceId, requestId, logs } = await call(handler)
    const lines = logs.map((l) => JSON.parse(l))
    expect(lines.length).toBeGreaterThanOrEqual(2)
    for (const line of lines) {
      expect(line.xray_trace_id).toBe(traceId)
      expect(line.function_request_id).toBe(requestId)
      expect(line.service).toBe('moc-instructions')
      expect(line.cold_start).toBe(false)
      expect(typeof line.timestamp).toBe('string')
    }
    expect(lines[0]).toMatchObject({ level: 'INFO', message: 'loading MOC', mocId: 'moc-1' })
    expect(lines[1].error).toMatchObject({ name: 'RangeError', message: 'out of range' })
    expect(lines[1].error.stack).toContain('RangeError')
  })
})

describe('documents sent', () => {
  /** The documents of one trace as received, each checked against the segment-document rules. */
  async function traceDocuments(traceId: string, until: (docs: SegmentDocument[]) => boolean) {
    await collector.waitFor((d) => until(d.filter((doc) => doc.trace_id === traceId)), 5000)
    const received = collector.received().filter(({ document }) => document.trace_id === traceId)
    for (const { document, raw } of received) expect(validateDocument(document, raw)).toEqual([])
    return received.map(({ document }) => document)
  }

  it('sends an invocation as one document: the handler subsegment with its whole tree', async () => {
    const handler = rt.withTracing(config, async () => {
      await rt.traced('Database Query - Get MOC', {}, () =>
        rt.traced('inner', {}, async () => 'row'),
      )
      await rt.traced('Redis - Set Cache', {}, async () => 'OK')
      return { statusCode: 200 }
    })
    const { traceId } = await call(handler)
    const docs = await traceDocuments(traceId, (d) => d.length > 0)
    await collector.waitForQuiet(50)
    expect(collector.documents().filter((doc) => doc.trace_id === traceId)).toHaveLength(1)
    expect(docs[0].name).toBe(HANDLER_NAME)
    expect(docs[0].subsegments!.map((child) => child.name)).toEqual([
      'Database Query - Get MOC',
      'Redis - Set Cache',
    ])
    expect(docs[0].subsegments![0].subsegments!.map((child) => child.name)).toEqual(['inner'])
  })

  it('sends the children as documents of their own when the tree exceeds 64 kB', async () => {
    const count = 40
    // About 2 kB of metadata each: 80 kB in all, more than one document may carry.
    const handler = rt.withTracing(config, async () => {
      for (let index = 0; index < count; index++) {
        await rt.traced(`step ${index}`, { metadata: { note: 'x'.repeat(2000) } }, async () =>
          rt.traced(`step ${index} inner`, {}, () => index),
        )
      }
      return { statusCode: 200 }
    })
    const { traceId } = await call(handler)
    const docs = await traceDocuments(traceId, (d) => d.some((doc) => doc.name === HANDLER_NAME))
    const handlerDocument = docs.find((doc) => doc.name === HANDLER_NAME)!
    expect(docs.length).toBeGreaterThan(1)
    expect(handlerDocument.annotations).toMatchObject({ Service: 'moc-instructions' })
    const entities = flatten(docs)
    for (let index = 0; index < count; index++) {
      const step = entities.filter((entity) => entity.name === `step ${index}`)
      expect(step).toHaveLength(1)
      expect(step[0].parentId).toBe(handlerDocument.id)
      const inner = entities.find((entity) => entity.name === `step ${index} inner`)
      expect(inner?.parentId).toBe(step[0].id)
    }
  })

  it('sends subsegments that close after the handler subsegment was sent as their own documents', async () => {
    let release!: () => void
    const released = new Promise<void>((resolve) => (release = resolve))
    const handler = rt.withTracing(config, async () => {
      // Fire-and-forget: one subsegment still open when the handler returns, one opened later.
      void rt.traced('still open', {}, () => released)
      setTimeout(() => void rt.traced('opened later', {}, () => release()), 20)
      await rt.traced('done', {}, () => 1)
      return { statusCode: 202 }
    })
    const { traceId } = await call(handler)
    const docs = await traceDocuments(
      traceId,
      (d) =>
        d.filter((doc) => doc.name === 'still open' || doc.name === 'opened later').length === 2,
    )
    const handlerDocument = docs.find((doc) => doc.name === HANDLER_NAME)!
    expect(handlerDocument.subsegments!.map((child) => child.name)).toEqual(['done'])
    for (const name of ['still open', 'opened later']) {
      const doc = docs.find((candidate) => candidate.name === name)!
      expect(doc.type).toBe('subsegment')
      expect(doc.parent_id).toBe(handlerDocument.id)
      expect(doc.in_progress).toBeUndefined()
    }
  })
})
