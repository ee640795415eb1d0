import { createClient } from 'redis'
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda'
import { startCollector, subsegmentTree, type Collector, type TraceNode } from '../../src/trace/collector'
import type { SegmentDocument } from '../../src/trace/segment-document'
import { startOpenSearchServer, type OpenSearchServer } from '../support/opensearch-server'
import { queryDatabase, resetDatabase } from '../support/postgres'
import { startS3Server, type S3Server } from '../support/s3-server'
import {
  appEnvironment,
  invoke,
  lambdaEnvironment,
  newTraceHeader,
  restEvent,
  type EventInput,
} from '../support/lambda'

type Handler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>

/** A password the tests give the Postgres client; it must never reach a trace document. */
export const DB_PASSWORD = 'pw-never-in-a-trace-7c1f'
export const BUCKET = 'lego-api-files'

/** One invocation of a generated handler and what the collector received for its trace. */
export interface TracedCall {
  readonly status: number
  readonly body: any
  readonly traceId: string
  readonly logs: readonly string[]
  /** The `## <function>` subsegment with its subtree. */
  readonly handler: TraceNode
  /** The documents of this trace, as received. */
  readonly documents: readonly SegmentDocument[]
}

/**
 * The lego-api as Lambda runs it, for one service per test file: the real aws-xray-sdk-core in
 * Lambda mode sending UDP to a loopback collector, real Postgres and Redis, loopback S3 and
 * OpenSearch servers, and the generated handler imported after that environment is in place.
 */
export class LegoApiHarness {
  private constructor(
    readonly functionName: string,
    readonly collector: Collector,
    readonly s3: S3Server,
    readonly openSearch: OpenSearchServer,
    readonly handler: Handler,
  ) {}

  static async start(serviceId: string): Promise<LegoApiHarness> {
    const collector = await startCollector()
    const s3 = await startS3Server()
    const openSearch = await startOpenSearchServer({ indices: ['mocs', 'gallery_images'] })
    const functionName = `lego-api-${serviceId}`
    lambdaEnvironment(collector.address, { functionName })
    appEnvironment({ s3: s3.endpoint, openSearch: openSearch.endpoint, bucket: BUCKET })
    process.env.POSTGRES_PASSWORD = DB_PASSWORD
    await Promise.all([resetDatabase(), flushAppKeys()])
    const module = (await import(`../../generated/lego-api/src/functions/${serviceId}.ts`)) as {
      handler: Handler
    }
    return new LegoApiHarness(functionName, collector, s3, openSearch, module.handler)
  }

  /** Invokes the handler with a REST event and returns its response and (when sampled) its trace. */
  async call(input: EventInput): Promise<TracedCall> {
    const { result, traceId, logs } = await invoke(this.handler, restEvent(input))
    const name = `## ${this.functionName}`
    await this.collector.waitFor((docs) =>
      docs.some((doc) => doc.trace_id === traceId && doc.name === name && !doc.in_progress),
    )
    const documents = (await this.collector.waitForQuiet(30)).filter((d) => d.trace_id === traceId)
    const [handler, ...others] = subsegmentTree(documents, traceId)
    if (!handler || handler.name !== name || others.length > 0) {
      throw new Error(`trace ${traceId} is not one tree under ${name}: ${documents.map((d) => d.name)}`)
    }
    return { status: result.statusCode, body: parse(result.body), traceId, logs, handler, documents }
  }

  /** Invokes the handler with an unsampled trace header; nothing is traced. */
  async callUnsampled(input: EventInput) {
    const { result, traceId, logs } = await invoke(this.handler, restEvent(input), { sampled: false })
    return { status: result.statusCode, body: parse(result.body), traceId, logs }
  }

  /**
   * Runs SQL for the test itself (seeding). The SDK's pg capture patches the one `pg` module of
   * the process, so the test's own query would be traced under the last invocation's header;
   * an unsampled header keeps it out of the documents, as it would be out of a real trace.
   */
  async sql(text: string, values: unknown[] = []): Promise<void> {
    const header = process.env._X_AMZN_TRACE_ID
    process.env._X_AMZN_TRACE_ID = newTraceHeader(false).header
    try {
      await queryDatabase(text, values)
    } finally {
      process.env._X_AMZN_TRACE_ID = header
    }
  }

  async close(): Promise<void> {
    const redis = await import('../../generated/lego-api/src/lib/cache/redis')
    const db = await import('../../generated/lego-api/src/lib/db/client')
    await Promise.allSettled([redis.redis.quit(), db.pool.end()])
    await Promise.allSettled([this.collector.close(), this.s3.close(), this.openSearch.close()])
  }
}

/**
 * Deletes the lego-api's cache keys left by an earlier run. Done before the traced Redis client
 * is loaded: that client traces every node-redis command of the process.
 */
async function flushAppKeys(): Promise<void> {
  const client = await createClient({ url: process.env.REDIS_URL }).connect()
  try {
    for (const pattern of ['moc:*', 'wishlist:*', 'profile:*']) {
      const keys = await client.keys(pattern)
      if (keys.length > 0) await client.del(keys)
    }
  } finally {
    await client.quit()
  }
}

function parse(body: string): unknown {
  return body ? JSON.parse(body) : undefined
}

/** Every node of a subtree, depth first. */
export function descendants(node: TraceNode): TraceNode[] {
  return node.children.flatMap((child) => [child, ...descendants(child)])
}

/** The business subsegments of a call: the handler's local children, by name, in start order. */
export function businessNames(call: TracedCall): string[] {
  return call.handler.children.map((child) => child.name)
}

/** The remote (downstream) subsegment under a business subsegment: exactly one per dependency call. */
export function remoteOf(business: TraceNode): TraceNode {
  const remote = business.children.filter((c) => ['remote', 'aws'].includes(c.entity.namespace ?? ''))
  if (remote.length !== 1) {
    throw new Error(`${business.name} has ${remote.length} remote subsegments: ${remote.map((r) => r.name)}`)
  }
  return remote[0]!
}
