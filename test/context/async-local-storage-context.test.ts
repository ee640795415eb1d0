import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { flatten, startCollector, type Collector } from '../../src/trace/collector'
import { validateDocument } from '../../src/trace/segment-rules'
import {
  bundleFunction,
  CONTEXT_ALIAS,
  NODE_24,
  startLambda,
  systemNode,
  type FunctionBundle,
  type LambdaProcess,
} from '../support/lambda-process'

/*
 * The runtime's AsyncLocalStorage namespace, in place of cls-hooked, driving the real
 * aws-xray-sdk-core: the scenarios of scenarios.ts run in a bundled Lambda process (Node 24, the
 * nodejs24.x runtime; and the toolchain's Node 20, where AsyncLocalStorage works differently) and
 * every subsegment must land under the parent it was opened in.
 */

let bundle: FunctionBundle
beforeAll(async () => {
  bundle = await bundleFunction('test/context/scenarios.ts', {
    name: 'context',
    alias: CONTEXT_ALIAS,
  })
})

it('bundles the namespace in place of cls-hooked and its async_hooks modules', () => {
  const inputs = Object.keys(bundle.metafile.inputs)
  expect(inputs).toContain('generated/lego-api/src/lib/tracing/context.ts')
  expect(inputs.filter((input) => /cls-hooked|async-hook-jl|emitter-listener/.test(input))).toEqual(
    [],
  )
})

const nodes = [
  ['Node 24', NODE_24],
  ['Node 20', systemNode(20)],
] as const

describe.each(nodes)('on %s', (_label, node) => {
  let collector: Collector
  let lambda: LambdaProcess

  beforeAll(async () => {
    collector = await startCollector()
    lambda = await startLambda({
      bundle: bundle.file,
      node,
      env: { AWS_XRAY_DAEMON_ADDRESS: collector.address, AWS_LAMBDA_FUNCTION_NAME: 'context' },
    })
  })
  afterAll(async () => {
    await lambda?.close()
    await collector?.close()
  })

  /** Runs a scenario; returns what the handler saw and the parent of each subsegment, by name. */
  async function run(scenario: string) {
    collector.clear()
    const invocation = await lambda.invoke<{ seen: unknown }>({ scenario })
    const docs = await collector.waitFor((d) => d.some((doc) => doc.name === '## context'))
    for (const doc of docs) {
      expect(validateDocument(doc)).toEqual([])
      expect(doc.trace_id).toBe(invocation.traceId)
    }
    // Subsegments arrive nested in the handler's document or as documents of their own.
    const entities = flatten(docs)
    const byName = new Map(entities.map((entity) => [entity.name, entity]))
    const parentOf = (name: string) => {
      const entity = byName.get(name)
      if (!entity) throw new Error(`no subsegment ${name}; got ${[...byName.keys()].join(', ')}`)
      const parent = entities.find((candidate) => candidate.id === entity.parentId)
      return parent?.name ?? `(${entity.parentId})`
    }
    return { seen: invocation.result.seen, parentOf, invocation }
  }

  it('keeps each concurrent Promise.all branch under its own subsegment', async () => {
    const { seen, parentOf, invocation } = await run('promise-all')
    expect(parentOf('## context')).toBe(`(${invocation.parentId})`)
    expect(parentOf('fan-out')).toBe('## context')
    for (const branch of ['a', 'b', 'c']) {
      expect(parentOf(branch)).toBe('fan-out')
      for (const index of [0, 1, 2]) expect(parentOf(`${branch}.${index}`)).toBe(branch)
    }
    expect(seen).toEqual(['a', 'b', 'c'].map((b) => [b, `${b}.0`, b, `${b}.1`, b, `${b}.2`]))
  })

  it('follows setTimeout, setImmediate, process.nextTick and queueMicrotask', async () => {
    const { seen, parentOf } = await run('timers')
    expect(seen).toEqual({
      setTimeout: 'timers',
      setImmediate: 'timers',
      nextTick: 'timers',
      queueMicrotask: 'timers',
    })
    expect(parentOf('in-timeout')).toBe('timers')
  })

  it('runs the listeners of a bound emitter in the context they were added in', async () => {
    const { seen } = await run('emitter')
    expect(seen).toEqual({
      bound: 'listener-owner',
      once: 'listener-owner',
      unbound: 'emitter-side',
      listenersAreOriginals: true,
      remainingListeners: 1,
    })
  })

  it('keeps the context through stream callbacks and async iteration', async () => {
    const { seen, parentOf } = await run('stream')
    expect(seen).toEqual([
      'chunk a',
      'sink a: stream',
      'chunk b',
      'sink b: stream',
      'chunk c',
      'sink c: stream',
    ])
    for (const chunk of ['a', 'b', 'c']) expect(parentOf(`chunk ${chunk}`)).toBe('stream')
  })

  it('never lets one invocation see the segment of the previous one', async () => {
    collector.clear()
    const invocations = []
    for (let index = 0; index < 20; index++) {
      const sampled = index % 3 !== 2
      const invocation = await lambda.invoke<{ seen: Record<string, unknown> }>(
        { scenario: 'whoami' },
        { sampled },
      )
      invocations.push({ ...invocation, sampled })
      const { before, inside, insideTraceId } = invocation.result.seen
      // Before the wrapper: the facade, already carrying this invocation's trace id.
      expect(before).toEqual({ name: 'facade', traceId: invocation.traceId })
      expect(inside).toBe(sampled ? '## context' : 'facade')
      expect(insideTraceId).toBe(invocation.traceId)
    }
    const docs = await collector.waitForQuiet(200)
    const handlers = docs.filter((doc) => doc.name === '## context')
    for (const invocation of invocations) {
      const own = flatten(docs).filter((entity) => entity.traceId === invocation.traceId)
      const handlerDocs = handlers.filter((doc) => doc.trace_id === invocation.traceId)
      if (!invocation.sampled) {
        expect(own).toEqual([])
        continue
      }
      expect(handlerDocs).toHaveLength(1)
      expect(handlerDocs[0].parent_id).toBe(invocation.parentId)
    }
    // Each invocation left a straggler that ran during the next one, in its own context: one from
    // a sampled invocation is sent with its own trace id under its own handler subsegment, never
    // with the trace of the invocation running when it closes; one from an unsampled invocation
    // records nothing, in any trace. Either logs as its own invocation.
    const stragglers = flatten(docs).filter((entity) => entity.name.startsWith('straggler of '))
    for (const [index, invocation] of invocations.slice(0, -1).entries()) {
      // Its log line, written during the next invocation, names the invocation that started it.
      const line = invocations[index + 1].logs
        .map((text) => JSON.parse(text) as Record<string, unknown>)
        .find((fields) => fields.message === `straggler of ${invocation.traceId}`)
      expect(line).toMatchObject({
        xray_trace_id: invocation.traceId,
        function_request_id: invocation.requestId,
      })
      const own = stragglers.filter((s) => s.name === `straggler of ${invocation.traceId}`)
      if (!invocation.sampled) {
        expect(own).toEqual([])
        continue
      }
      expect(own).toHaveLength(1)
      expect(own[0].traceId).toBe(invocation.traceId)
      const parent = handlers.find((doc) => doc.id === own[0].parentId)
      expect(parent?.trace_id).toBe(invocation.traceId)
    }
  })

  it('records again after an invocation whose header only has a root (PassThrough mode)', async () => {
    collector.clear()
    // Lambda's PassThrough tracing mode hands over a root without a parent or a decision: the
    // SDK marks its facade no-op, and its shared facade kept that mark for every later invocation.
    const root = `1-${Math.floor(Date.now() / 1000).toString(16)}-${'0'.repeat(23)}1`
    await lambda.invoke({ scenario: 'overlap', delays: [1, 1] }, { traceHeader: `Root=${root}` })
    const sampled = await lambda.invoke({ scenario: 'overlap', delays: [1, 1] }, { sampled: true })
    const docs = await collector.waitFor((d) => d.some((doc) => doc.trace_id === sampled.traceId))
    expect(docs.filter((doc) => doc.trace_id === root)).toEqual([])
    const handler = docs.find((doc) => doc.trace_id === sampled.traceId)
    expect(handler?.name).toBe('## context')
    expect(handler?.subsegments?.map((step) => step.name)).toEqual(['step 0', 'step 1'])
  })

  it('keeps invocations that run at once apart (multi-concurrency mode)', async () => {
    const concurrent = await startLambda({
      bundle: bundle.file,
      node,
      env: { AWS_XRAY_DAEMON_ADDRESS: collector.address, AWS_LAMBDA_FUNCTION_NAME: 'context' },
      multiConcurrency: true,
    })
    try {
      collector.clear()
      // Steps of different lengths: each invocation's steps open and close between the others'.
      const plans = [
        { sampled: true, delays: [5, 30] },
        { sampled: false, delays: [15, 15] },
        { sampled: true, delays: [25, 5] },
        { sampled: true, delays: [10, 20] },
      ] as const
      const invocations = await Promise.all(
        plans.map(({ sampled, delays }) =>
          concurrent.invoke<{ seen: string[] }>({ scenario: 'overlap', delays }, { sampled }),
        ),
      )
      const docs = await collector.waitForQuiet(200)
      for (const [index, invocation] of invocations.entries()) {
        // Each step ran in its own invocation's context (an unsampled one's facade included).
        expect(invocation.result.seen).toEqual([invocation.traceId, invocation.traceId])
        const own = flatten(docs).filter((entity) => entity.traceId === invocation.traceId)
        if (!plans[index].sampled) {
          expect(own).toEqual([])
          continue
        }
        const handlerDocs = docs.filter(
          (doc) => doc.name === '## context' && doc.trace_id === invocation.traceId,
        )
        expect(handlerDocs).toHaveLength(1)
        expect(handlerDocs[0].parent_id).toBe(invocation.parentId)
        expect(handlerDocs[0].subsegments?.map((step) => step.name)).toEqual(['step 0', 'step 1'])
        expect(own).toHaveLength(3)
      }
      expect(flatten(docs)).toHaveLength(9)
    } finally {
      await concurrent.close()
    }
  })
})
