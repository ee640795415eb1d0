import { appendFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { flatten, type TraceNode } from '../../src/trace/collector'
import { validateDocument, validateTrace } from '../../src/trace/segment-rules'
import type { EventInput } from '../support/lambda'
import { FaultHarness, type Dependency, type FaultCall } from './fault-harness'

/*
 * The fault table of one service: for each dependency it uses, each fault the proxy in front of
 * it injects (refused, dropped mid-request, stalled past the client timeout, down at cold start),
 * what the function answers, what it sends to X-Ray, that the process lives on, and that the
 * first request after the dependency is back is served and traced normally.
 */

/** A request that reaches one dependency, and the status it gets when all is well. */
export interface Probe {
  /** A fresh request (seeding what it needs directly in the database first). */
  request(): EventInput | Promise<EventInput>
  ok: number
}

export interface ServiceFaults {
  service: string
  /** For each dependency the service uses: a request that calls it. */
  probes: Partial<Record<Dependency, Probe>>
  /** For each dependency: a request of a route that does not use it (served while it is down). */
  without: Partial<Record<Dependency, Probe>>
  /** Seeds the data the probes need, once, with every dependency up. */
  seed?(): Promise<void>
}

/** The node each dependency draws on the service map (its remote subsegment's name). */
export const NODE: Record<Dependency, string> = {
  postgres: 'test@127.0.0.1',
  redis: 'Redis',
  s3: 'S3',
  opensearch: 'OpenSearch',
}

type Fault = 'refused' | 'dropped mid-request' | 'stalled past the client timeout'

const MODE = {
  refused: 'refuse',
  'dropped mid-request': 'drop',
  'stalled past the client timeout': 'stall',
} as const

/** What the failing remote subsegment's exception says, per dependency and fault. */
const MESSAGES: Record<Dependency, Record<Fault | 'down at cold start', RegExp>> = {
  postgres: {
    refused: /connect ECONNREFUSED 127\.0\.0\.1:\d+/,
    'dropped mid-request': /Connection terminated unexpectedly/,
    'stalled past the client timeout': /Query read timeout/,
    'down at cold start': /connect ECONNREFUSED 127\.0\.0\.1:\d+/,
  },
  redis: {
    refused: /connect ECONNREFUSED 127\.0\.0\.1:\d+/,
    'dropped mid-request': /Socket closed unexpectedly/,
    'stalled past the client timeout': /Redis [A-Z]+ timed out: no reply within 400 ms/,
    'down at cold start': /connect ECONNREFUSED 127\.0\.0\.1:\d+/,
  },
  s3: {
    refused: /connect ECONNREFUSED 127\.0\.0\.1:\d+/,
    'dropped mid-request': /socket hang up/,
    'stalled past the client timeout':
      /a request has exceeded the configured 400 ms requestTimeout/,
    'down at cold start': /connect ECONNREFUSED 127\.0\.0\.1:\d+/,
  },
  opensearch: {
    refused: /connect ECONNREFUSED 127\.0\.0\.1:\d+/,
    'dropped mid-request': /socket hang up/,
    'stalled past the client timeout': /Request timed out/,
    'down at cold start': /connect ECONNREFUSED 127\.0\.0\.1:\d+/,
  },
}

const GENERIC_500 = { error: 'INTERNAL_ERROR', message: 'Internal server error' }

/** Where the suites write the figures the README's fault table quotes (FAULT_REPORT=<file>). */
function report(line: Record<string, unknown>): void {
  if (process.env.FAULT_REPORT)
    appendFileSync(process.env.FAULT_REPORT, `${JSON.stringify(line)}\n`)
}

/**
 * Registers the fault suite of one service.
 *
 * @example
 * describeFaults({ service: 'wishlist', probes: { postgres: { ... } }, without: { ... } })
 */
export function describeFaults(config: ServiceFaults): { harness: () => FaultHarness } {
  let api: FaultHarness
  beforeAll(async () => {
    api = await FaultHarness.start(config.service)
    await config.seed?.()
  })
  afterAll(() => api?.close())

  const call = async (probe: Probe) => api.call(await probe.request())

  describe(`${config.service} under faults`, () => {
    for (const [dependency, probe] of Object.entries(config.probes) as [Dependency, Probe][]) {
      for (const fault of Object.keys(MODE) as Fault[]) {
        it(`${dependency} ${fault}: 500, faults on the handler and the ${NODE[dependency]} node, then recovery`, async () => {
          await api.heal()
          // A live connection first, so that "dropped" and "stalled" hit one mid-request.
          expectNormal(await call(probe), probe.ok, api)
          await api.proxies[dependency].setMode(MODE[fault])
          const failed = await call(probe)
          const message = expectFaulted(failed, dependency, MESSAGES[dependency][fault], api)
          await api.heal()
          const recovered = await call(probe)
          expectNormal(recovered, probe.ok, api)
          expectRemote(recovered, dependency)
          report({
            service: config.service,
            dependency,
            fault,
            status: failed.status,
            ms: Math.round(failed.durationMs),
            recovered: recovered.status,
            message,
          })
        })
      }

      it(`${dependency} down at cold start: init completes, other routes work, its routes fail, then recover`, async () => {
        await api.heal()
        await api.proxies[dependency].setMode('refuse')
        const environment = await api.coldStart()
        const without = config.without[dependency]
        if (without) {
          const other = await call(without)
          expectNormal(other, without.ok, api)
        }
        const failed = await call(probe)
        const message = expectFaulted(
          failed,
          dependency,
          MESSAGES[dependency]['down at cold start'],
          api,
        )
        await api.heal()
        const recovered = await call(probe)
        expectNormal(recovered, probe.ok, api)
        expectRemote(recovered, dependency)
        report({
          service: config.service,
          dependency,
          fault: 'down at cold start',
          initMs: Math.round(environment.initMs),
          status: failed.status,
          ms: Math.round(failed.durationMs),
          recovered: recovered.status,
          message,
        })
      })
    }
  })
  return { harness: () => api }
}

/** Answered as when all is well: the expected status, no fault, valid documents. */
export function expectNormal(call: FaultCall, status: number, api: FaultHarness): void {
  expect(call.status, JSON.stringify(call.body)).toBe(status)
  expect(call.handler.entity.fault).toBeUndefined()
  expectValidDocuments(call, api)
}

/** The remote subsegment of `dependency` is in the trace, without a fault. */
function expectRemote(call: FaultCall, dependency: Dependency): void {
  const remote = flatten(call.documents).filter((e) => e.name === NODE[dependency])
  expect(remote.length).toBeGreaterThan(0)
  for (const node of remote) expect(node.entity.fault).toBeUndefined()
}

/**
 * A 500 with the generic body; the handler subsegment with `fault` and an exception; at least one
 * remote subsegment of the failing dependency with `fault` and an exception whose message says
 * what happened; an ERROR log line with the error; every document valid.
 */
export function expectFaulted(
  call: FaultCall,
  dependency: Dependency,
  message: RegExp,
  api: FaultHarness,
): string {
  expect(call.status).toBe(500)
  expect(call.body).toEqual(GENERIC_500)
  expect(call.handler.entity.fault).toBe(true)
  const handlerException = exceptionOf(call, call.handler)
  expect(handlerException?.message).toMatch(/\S/)
  const remote = descendants(call.handler).filter(
    (node) => node.name === NODE[dependency] && node.entity.fault === true,
  )
  expect(remote.map((node) => node.name)).toContain(NODE[dependency])
  const remoteException = exceptionOf(call, remote[0]!)
  expect(remoteException?.message).toMatch(message)
  expect(['remote', 'aws']).toContain(remote[0]!.entity.namespace)
  const errorLine = call.logs.map((line) => JSON.parse(line)).find((e) => e.level === 'ERROR')
  expect(errorLine?.error?.message).toMatch(/\S/)
  expectValidDocuments(call, api)
  return remoteException.message
}

/** Every document of the call obeys the segment-document rules (exception frames included). */
function expectValidDocuments(call: FaultCall, api: FaultHarness): void {
  expect(api.collector.problems()).toEqual([])
  const raw = api.collector.received().filter((r) => r.document.trace_id === call.traceId)
  expect(raw.length).toBeGreaterThan(0)
  for (const { document, raw: text } of raw) expect(validateDocument(document, text)).toEqual([])
  expect(validateTrace(call.documents)).toEqual([])
}

/** Every node of a subtree, depth first. */
export function descendants(node: TraceNode): TraceNode[] {
  return node.children.flatMap((child) => [child, ...descendants(child)])
}

/**
 * The exception recorded for a (sub)segment: its own, or, when the SDK recorded only a reference
 * (`cause.id`) because the same error was recorded below, the one it refers to.
 */
export function exceptionOf(call: FaultCall, node: TraceNode): any {
  const cause = node.entity.cause as { id?: string; exceptions?: any[] } | undefined
  if (cause?.exceptions?.length) return cause.exceptions[0]
  const all = flatten(call.documents)
  for (const entity of all) {
    const exceptions = (entity.entity.cause as { exceptions?: any[] } | undefined)?.exceptions
    const found = exceptions?.find((e) => e.id === cause?.id)
    if (found) return found
  }
  const origin = all.find((e) => e.id === cause?.id)
  return origin && origin.id !== node.id
    ? exceptionOf(call, { ...origin, children: [] })
    : undefined
}
