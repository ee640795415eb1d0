import { expect } from 'vitest'
import type { TraceNode } from '../../src/trace/collector'
import { validateDocument, validateTrace } from '../../src/trace/segment-rules'
import { serviceGraph } from '../../src/trace/service-graph'
import { TEST_USER_ID } from '../support/lambda'
import { DB_PASSWORD, descendants, remoteOf, type LegoApiHarness, type TracedCall } from './harness'

/** The handler subsegment carries the request's annotations, with the user and resource ids. */
export function expectRequestAnnotations(
  call: TracedCall,
  expected: { service: string; method: string; route: string; ids?: Record<string, string> },
): void {
  expect(call.handler.entity.annotations).toMatchObject({
    Service: expected.service,
    method: expected.method,
    route: expected.route,
    userId: TEST_USER_ID,
    ...expected.ids,
  })
  expect(call.handler.entity.http?.response?.status).toBe(call.status)
}

/**
 * The handler's business subsegments, in order, each around exactly one remote subsegment of
 * the named downstream node, both with start and end times and the business annotations.
 */
export function expectBusinessSubsegments(
  call: TracedCall,
  expected: ReadonlyArray<readonly [name: string, downstream: string]>,
): TraceNode[] {
  expect(call.handler.children.map((c) => c.name)).toEqual(expected.map(([name]) => name))
  return call.handler.children.map((business, i) => {
    expect(business.entity.namespace).toBeUndefined()
    expect(business.entity.annotations?.operation).toBeTypeOf('string')
    const remote = remoteOf(business)
    expect(remote.name).toBe(expected[i]![1])
    for (const node of [business, remote]) {
      expect(node.entity.start_time).toBeTypeOf('number')
      expect(node.entity.end_time).toBeGreaterThanOrEqual(node.entity.start_time)
      expect(node.entity.in_progress).toBeFalsy()
    }
    return remote
  })
}

/** Every document the harness received obeys the segment-document rules; so does each trace. */
export function expectValidDocuments(api: LegoApiHarness): void {
  expect(api.collector.problems()).toEqual([])
  const received = api.collector.received()
  expect(received.length).toBeGreaterThan(0)
  for (const { document, raw } of received) expect(validateDocument(document, raw)).toEqual([])
  const traces = new Set(received.map((r) => r.document.trace_id))
  for (const traceId of traces) {
    expect(validateTrace(api.collector.documents().filter((d) => d.trace_id === traceId))).toEqual(
      [],
    )
  }
}

/** No document holds a secret: the DB password, a presigned URL's signature, or the given values. */
export function expectNoSecrets(api: LegoApiHarness, values: readonly string[]): void {
  const everything = api.collector
    .received()
    .map((r) => r.raw)
    .join('\n')
  expect(everything).not.toContain(DB_PASSWORD)
  expect(everything).not.toMatch(/X-Amz-Signature|X-Amz-Credential/i)
  for (const value of values) expect(everything).not.toContain(value)
}

/** The service map drawn from every document: the function's edges are exactly `downstream`. */
export function expectServiceMap(api: LegoApiHarness, downstream: readonly string[]): void {
  const graph = serviceGraph(api.collector.documents())
  expect([...graph.keys()]).toEqual([api.functionName])
  expect([...graph.get(api.functionName)!].sort()).toEqual([...downstream].sort())
}

/** Every log line of the invocation is JSON and carries its trace id. */
export function expectLogsCarryTraceId(call: { logs: readonly string[]; traceId: string }): void {
  for (const line of call.logs) {
    const entry = JSON.parse(line) as Record<string, unknown>
    expect(entry.xray_trace_id).toBe(call.traceId)
    expect(entry).toHaveProperty('level')
    expect(entry).toHaveProperty('message')
    expect(entry).toHaveProperty('service')
  }
}

/**
 * The exception recorded for a (sub)segment. The SDK records an exception once, where it was
 * first caught; a parent it propagates through gets `cause: { id: <that subsegment> }`, which
 * the X-Ray console follows. So does this.
 */
export function exceptionOf(call: TracedCall, node: TraceNode): any {
  const cause = node.entity.cause as { id?: string; exceptions?: any[] } | undefined
  if (cause?.exceptions?.length) return cause.exceptions[0]
  const origin = descendants(call.handler).find((n) => n.id === cause?.id)
  return origin ? exceptionOf(call, origin) : undefined
}

/** An unsampled invocation sends no document at all. */
export async function expectNothingSent(api: LegoApiHarness, traceId: string): Promise<void> {
  const documents = await api.collector.waitForQuiet(100)
  expect(documents.filter((d) => d.trace_id === traceId)).toEqual([])
}

/** A fault on the handler subsegment with the exception's message and stack. */
export function expectFault(call: TracedCall, message: RegExp): void {
  expect(call.status).toBe(500)
  expect(call.handler.entity.fault).toBe(true)
  const exception = exceptionOf(call, call.handler)
  expect(exception?.message).toMatch(message)
  expect(exception?.stack?.length).toBeGreaterThan(0)
  const errorLine = call.logs.map((l) => JSON.parse(l)).find((e) => e.level === 'ERROR')
  expect(errorLine?.error?.stack ?? errorLine?.stack).toBeTruthy()
}

export { descendants }
