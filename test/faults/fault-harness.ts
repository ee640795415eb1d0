import { randomBytes } from 'node:crypto'
import type { APIGatewayProxyResult } from 'aws-lambda'
import { startCollector, type Collector, type TraceNode } from '../../src/trace/collector'
import type { SegmentDocument } from '../../src/trace/segment-document'
import { handlerTrace } from '../support/handler-trace'
import { restEvent, type EventInput } from '../support/lambda'
import { startLambda, type LambdaProcess } from '../support/lambda-process'
import { startOpenSearchServer, type OpenSearchServer } from '../support/opensearch-server'
import { resetDatabase, TEST_DATABASE } from '../support/postgres'
import { startS3Server, type S3Server } from '../support/s3-server'
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy'

/** The dependencies of the lego-api, as the manifest names them. */
export type Dependency = 'postgres' | 'redis' | 's3' | 'opensearch'

/** The client timeouts the suites run with: short, so that a stall costs little test time. */
export const TEST_TIMEOUT_MS = 400

/** What one invocation answered, and its trace. */
export interface FaultCall {
  readonly status: number
  readonly body: any
  readonly traceId: string
  readonly logs: readonly string[]
  readonly durationMs: number
  /** The `## <function>` subsegment with its subtree. */
  readonly handler: TraceNode
  readonly documents: readonly SegmentDocument[]
}

/**
 * One generated function, bundled as deployed and run on Node 24 as Lambda runs it, whose four
 * dependencies are each reached through a {@link TcpProxy}: the real Postgres and Redis of this
 * machine, the loopback S3 and OpenSearch servers. Every client timeout is
 * {@link TEST_TIMEOUT_MS}; source maps are on, as the stack sets `NODE_OPTIONS`.
 */
export class FaultHarness {
  private constructor(
    readonly service: string,
    readonly functionName: string,
    readonly collector: Collector,
    readonly proxies: Readonly<Record<Dependency, TcpProxy>>,
    private readonly servers: { s3: S3Server; openSearch: OpenSearchServer },
    private lambda: LambdaProcess,
    private readonly env: Record<string, string>,
  ) {}

  static async start(service: string): Promise<FaultHarness> {
    const collector = await startCollector()
    const s3 = await startS3Server()
    const openSearch = await startOpenSearchServer({ indices: ['mocs', 'gallery_images'] })
    await resetDatabase()
    const proxies = {
      postgres: await startTcpProxy({ host: TEST_DATABASE.host, port: TEST_DATABASE.port }),
      redis: await startTcpProxy({ host: '127.0.0.1', port: 6379 }),
      s3: await startTcpProxy({ host: '127.0.0.1', port: Number(new URL(s3.endpoint).port) }),
      opensearch: await startTcpProxy({
        host: '127.0.0.1',
        port: Number(new URL(openSearch.endpoint).port),
      }),
    }
    const functionName = `lego-api-${service}`
    const timeout = String(TEST_TIMEOUT_MS)
    const env = {
      AWS_XRAY_DAEMON_ADDRESS: collector.address,
      AWS_LAMBDA_FUNCTION_NAME: functionName,
      NODE_OPTIONS: '--enable-source-maps',
      POSTGRES_HOST: '127.0.0.1',
      POSTGRES_PORT: String(proxies.postgres.port),
      POSTGRES_DB: TEST_DATABASE.database,
      POSTGRES_USER: TEST_DATABASE.user,
      // As deployed: an IAM token is signed for each new connection (the test server trusts).
      POSTGRES_AUTH: 'iam',
      // Lets a test find this function's server processes (pg_terminate_backend).
      PGAPPNAME: `fault-${service}-${randomBytes(4).toString('hex')}`,
      REDIS_URL: `redis://127.0.0.1:${proxies.redis.port}`,
      AWS_ENDPOINT_URL_S3: `http://127.0.0.1:${proxies.s3.port}`,
      S3_BUCKET: 'lego-api-faults',
      OPENSEARCH_ENDPOINT: `http://127.0.0.1:${proxies.opensearch.port}`,
      POSTGRES_CONNECT_TIMEOUT_MS: timeout,
      POSTGRES_QUERY_TIMEOUT_MS: timeout,
      REDIS_CONNECT_TIMEOUT_MS: timeout,
      REDIS_COMMAND_TIMEOUT_MS: timeout,
      S3_CONNECT_TIMEOUT_MS: timeout,
      S3_REQUEST_TIMEOUT_MS: timeout,
      OPENSEARCH_REQUEST_TIMEOUT_MS: timeout,
    }
    const lambda = await startLambda({ service, env })
    return new FaultHarness(
      service,
      functionName,
      collector,
      proxies,
      { s3, openSearch },
      lambda,
      env,
    )
  }

  /** The execution environment now running (its init time and init logs). */
  get process(): LambdaProcess {
    return this.lambda
  }

  /** The `application_name` the function's Postgres connections carry. */
  get applicationName(): string {
    return this.env.PGAPPNAME!
  }

  /** Every proxy back to `pass`. */
  async heal(): Promise<void> {
    for (const proxy of Object.values(this.proxies)) await proxy.setMode('pass')
  }

  /** A new execution environment (a cold start) with the proxies as they are now. */
  async coldStart(): Promise<LambdaProcess> {
    await this.lambda.close()
    this.lambda = await startLambda({ service: this.service, env: this.env })
    return this.lambda
  }

  /** Invokes the handler with a sampled REST event; resolves with its answer and its trace. */
  async call(input: EventInput): Promise<FaultCall> {
    const { result, traceId, logs, durationMs } = await this.lambda.invoke<APIGatewayProxyResult>(
      restEvent(input),
    )
    const { documents, handler } = await handlerTrace(this.collector, traceId, this.functionName)
    return {
      status: result.statusCode,
      body: result.body ? JSON.parse(result.body) : undefined,
      traceId,
      logs,
      durationMs,
      handler,
      documents,
    }
  }

  async close(): Promise<void> {
    await Promise.allSettled([
      this.lambda.close(),
      this.collector.close(),
      this.servers.s3.close(),
      this.servers.openSearch.close(),
      ...Object.values(this.proxies).map((proxy) => proxy.close()),
    ])
  }
}
