import type { APIGatewayProxyResult } from 'aws-lambda'
import { createClient } from 'redis'
import { startCollector, type Collector, type TraceNode } from '../../src/trace/collector'
import type { SegmentDocument } from '../../src/trace/segment-document'
import { handlerTrace } from '../support/handler-trace'
import { appEnvironment, restEvent, type EventInput } from '../support/lambda'
import { startLambda, type LambdaProcess } from '../support/lambda-process'
import { startOpenSearchServer, type OpenSearchServer } from '../support/opensearch-server'
import { resetDatabase } from '../support/postgres'
import { startS3Server, type S3Server } from '../support/s3-server'

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
 * The lego-api as Lambda runs it, one service per test file: the generated function bundled as
 * the CDK stack deploys it and run on Node 24 (the nodejs24.x runtime) in a child process with
 * Lambda's environment; the real aws-xray-sdk-core in it sends UDP to a loopback collector; real
 * Postgres and Redis; loopback S3 and OpenSearch servers.
 */
export class LegoApiHarness {
  /** Every sampled call made through {@link call}, in order. */
  readonly calls: TracedCall[] = []

  private constructor(
    readonly serviceId: string,
    readonly functionName: string,
    readonly collector: Collector,
    readonly s3: S3Server,
    readonly openSearch: OpenSearchServer,
    private lambda: LambdaProcess,
    private readonly env: Record<string, string>,
  ) {}

  static async start(serviceId: string): Promise<LegoApiHarness> {
    const collector = await startCollector()
    const s3 = await startS3Server()
    const openSearch = await startOpenSearchServer({ indices: ['mocs', 'gallery_images'] })
    await Promise.all([resetDatabase(), flushAppKeys()])
    const functionName = `lego-api-${serviceId}`
    const env = {
      ...appEnvironment({ s3: s3.endpoint, openSearch: openSearch.endpoint, bucket: BUCKET }),
      POSTGRES_PASSWORD: DB_PASSWORD,
      AWS_XRAY_DAEMON_ADDRESS: collector.address,
      AWS_LAMBDA_FUNCTION_NAME: functionName,
    }
    const lambda = await startLambda({ service: serviceId, env })
    return new LegoApiHarness(serviceId, functionName, collector, s3, openSearch, lambda, env)
  }

  /** The Lambda process (its Node version, init time and init logs). */
  get process(): LambdaProcess {
    return this.lambda
  }

  /** Replaces the execution environment with a new one whose environment has `overrides`. */
  async restart(overrides: Record<string, string>): Promise<void> {
    await this.lambda.close()
    this.lambda = await startLambda({ service: this.serviceId, env: { ...this.env, ...overrides } })
  }

  /** Invokes the handler with a REST event and returns its response and its trace. */
  async call(input: EventInput): Promise<TracedCall> {
    const { result, traceId, logs } = await this.lambda.invoke<APIGatewayProxyResult>(
      restEvent(input),
    )
    const { documents, handler } = await handlerTrace(this.collector, traceId, this.functionName)
    const call = {
      status: result.statusCode,
      body: parse(result.body),
      traceId,
      logs,
      handler,
      documents,
    }
    this.calls.push(call)
    return call
  }

  /** Invokes the handler with an unsampled trace header; nothing is traced. */
  async callUnsampled(input: EventInput) {
    const { result, traceId, logs } = await this.lambda.invoke<APIGatewayProxyResult>(
      restEvent(input),
      { sampled: false },
    )
    return { status: result.statusCode, body: parse(result.body), traceId, logs }
  }

  async close(): Promise<void> {
    await Promise.allSettled([
      this.lambda.close(),
      this.collector.close(),
      this.s3.close(),
      this.openSearch.close(),
    ])
  }
}

/** Deletes the lego-api's cache keys left by an earlier run, so they cannot change a trace. */
async function flushAppKeys(): Promise<void> {
  const client = await createClient({
    url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  }).connect()
  try {
    for (const pattern of ['moc:*', 'wishlist:*', 'profile:*']) {
      const keys = await client.keys(pattern)
      if (keys.length > 0) await client.del(keys)
    }
  } finally {
    await client.quit()
  }
}

function parse(body: string): any {
  return body ? JSON.parse(body) : undefined
}

/** Every node of a subtree, depth first. */
export function descendants(node: TraceNode): TraceNode[] {
  return node.children.flatMap((child) => [child, ...descendants(child)])
}

/** The remote (downstream) subsegment under a business subsegment: exactly one per dependency call. */
export function remoteOf(business: TraceNode): TraceNode {
  const remote = business.children.filter((c) =>
    ['remote', 'aws'].includes(c.entity.namespace ?? ''),
  )
  if (remote.length !== 1) {
    throw new Error(
      `${business.name} has ${remote.length} remote subsegments: ${remote.map((r) => r.name)}`,
    )
  }
  return remote[0]!
}
