import { createServer } from 'node:net'
import {
  flatten,
  startCollector,
  type Collector,
  type FlatEntity,
} from '../../../src/trace/collector'
import type {
  EntityDocument,
  ExceptionDocument,
  SegmentDocument,
} from '../../../src/trace/segment-document'
import { validateDocument, validateTrace } from '../../../src/trace/segment-rules'
import { invoke, lambdaEnvironment, restEvent } from '../../support/lambda'

/** What a traced call left: its trace's (sub)segments and every document received. */
export interface TracedCall {
  /** Every (sub)segment of the trace, nested ones included, in document order. */
  entities: FlatEntity[]
  /** The same, as received. */
  docs: EntityDocument[]
  /** Every document received while the call ran. */
  raw: SegmentDocument[]
}

export interface CaptureHarness {
  collector: Collector
  /**
   * Runs `fn` inside a handler wrapped by the runtime's `withTracing`, invoked as the `captures`
   * function on a sampled (or unsampled) trace, and returns what the collector received. Every
   * document must pass the segment-document rules, or this throws naming the problems.
   */
  traceOf(fn: () => Promise<unknown>, sampled?: boolean): Promise<TracedCall>
  close(): Promise<void>
}

/**
 * Starts the loopback collector, puts the process in Lambda mode (before the SDK loads: import
 * the captures after this) and loads the generated runtime.
 *
 * @example
 * const harness = await startCaptureHarness()
 * const { captureFetch } = await import('../../../generated/lego-api/src/lib/tracing/capture-fetch')
 */
export async function startCaptureHarness(): Promise<CaptureHarness> {
  const collector = await startCollector()
  lambdaEnvironment(collector.address)
  const rt = await import('../../../generated/lego-api/src/lib/tracing/index')
  return {
    collector,
    async traceOf(fn, sampled = true) {
      collector.clear()
      const handler = rt.withTracing({ service: 'captures' }, async () => {
        await fn()
        return { statusCode: 200 }
      })
      const event = restEvent({ method: 'GET', resource: '/api/captures' })
      const { traceId } = await invoke(handler, event, { functionName: 'captures', sampled })
      const raw = sampled
        ? await collector.waitFor((d) => d.some((doc) => doc.name === '## captures'), 5000)
        : await collector.waitForQuiet(200)
      const problems = [
        ...collector.received().flatMap(({ document, raw }) => validateDocument(document, raw)),
        ...validateTrace(raw),
      ]
      if (problems.length > 0) throw new Error(`invalid documents:\n${problems.join('\n')}`)
      const entities = flatten(raw).filter((entity) => entity.traceId === traceId)
      return { entities, docs: entities.map((entity) => entity.entity), raw }
    },
    close: () => collector.close(),
  }
}

/** The exceptions recorded in an entity's `cause`. */
export function exceptionsOf(entity: EntityDocument): ExceptionDocument[] {
  const cause = entity.cause
  if (typeof cause !== 'object' || !cause.exceptions) {
    throw new Error(`${entity.name} records no exceptions: ${JSON.stringify(cause)}`)
  }
  return cause.exceptions
}

/** A loopback port nothing listens on: connecting to it is refused. */
export async function refusedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}
