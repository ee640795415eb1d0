import type { APIGatewayProxyResult } from 'aws-lambda'
import type { AppManifest, HttpMethod } from '../manifest/types'
import { startCollector, type Collector } from './collector'
import {
  checkBackends,
  backendEnvironment,
  openBackendClients,
  type LocalBackends,
} from './local-backends'
import { newTraceHeader, restEvent, TEST_USER_ID } from './local-lambda/lambda-event'
import { LambdaProcessError, startLambda, type LambdaProcess } from './local-lambda/lambda-process'
import { startOpenSearchServer, type OpenSearchServer } from './loopback-opensearch'
import { startS3Server, type S3Server } from './loopback-s3'
import type { RouteTarget } from './route-match'
import type { SegmentDocument } from './segment-document'
import { seedKey, type AppSeeds, type SeedContext, type SeededRequest } from './seeds/route-seed'

/** The bucket the function reads and the seeds write to, on the loopback S3. */
export const LOCAL_BUCKET = 'xray-scaffold-trace'

/** The app whose functions are run: its manifest and the folder holding its generated code. */
export interface LocalApp {
  readonly manifest: AppManifest
  /** The generated app's folder (`infra/bundling.ts`, `src/functions/<service>.ts`). */
  readonly dir: string
  /** Idempotent DDL run before seeding (the app's tables), if the app has one. */
  readonly schemaFile?: string
  /** What each route needs in the backends before it runs. */
  readonly seeds?: AppSeeds
}

/** One request to run: a resolved route, the caller's identity and an optional body. */
export interface TraceRequest {
  readonly target: RouteTarget
  /** The Cognito `sub` claim. Default `user-1`. */
  readonly userId?: string
  /** Replaces the seeded body (JSON unless a string). */
  readonly body?: unknown
}

/** One request as the function answered it, with the documents of its trace. */
export interface TracedRequest {
  readonly service: string
  readonly functionName: string
  readonly method: HttpMethod
  /** The route template. */
  readonly route: string
  /** The path invoked. */
  readonly path: string
  /** The HTTP status; 502 when the function threw (as API Gateway answers then). */
  readonly status: number
  readonly traceId: string
  readonly documents: readonly SegmentDocument[]
  /** The lines the function logged during the invocation. */
  readonly logs: readonly string[]
}

/**
 * Runs requests through the app's functions as Lambda runs them and returns each one's trace:
 * a loopback collector speaking the daemon protocol, each function bundled as the stack deploys
 * it and loaded on Node 24 with a sampled trace header and `AWS_XRAY_DAEMON_ADDRESS`, the local
 * Postgres and Redis (checked first), and loopback S3 and OpenSearch seeded by the route's seed.
 *
 * @example
 * const [traced] = await runRoutes(
 *   { manifest: legoApi, dir: 'generated/lego-api', seeds: legoApiSeeds },
 *   [{ target: resolveRoute(legoApi, 'moc-instructions', 'GET /api/mocs/{id}') }],
 *   localBackends(process.env),
 * )
 */
export async function runRoutes(
  app: LocalApp,
  requests: readonly TraceRequest[],
  backends: LocalBackends,
): Promise<TracedRequest[]> {
  await checkBackends(backends)
  const indices = app.manifest.services.flatMap((s) => s.searchIndices ?? [])
  const collector = await startCollector()
  const s3 = await startS3Server()
  const openSearch = await startOpenSearchServer({ indices })
  const clients = await openBackendClients(backends, app.schemaFile)
  const lambdas = new Map<string, LambdaProcess>()
  try {
    const baseEnv = {
      ...backendEnvironment(backends),
      S3_BUCKET: LOCAL_BUCKET,
      AWS_ENDPOINT_URL_S3: s3.endpoint,
      OPENSEARCH_ENDPOINT: openSearch.endpoint,
      AWS_XRAY_DAEMON_ADDRESS: collector.address,
    }
    const traced: TracedRequest[] = []
    for (const request of requests) {
      const { service } = request.target
      const functionName = `${app.manifest.name}-${service.id}`
      let lambda = lambdas.get(service.id)
      if (!lambda) {
        lambda = await startLambda({
          app: app.dir,
          service: service.id,
          env: { ...baseEnv, AWS_LAMBDA_FUNCTION_NAME: functionName },
        })
        lambdas.set(service.id, lambda)
      }
      const userId = request.userId ?? TEST_USER_ID
      const context: SeedContext = {
        userId,
        bucket: LOCAL_BUCKET,
        query: clients.query,
        deleteKeys: clients.deleteKeys,
        putObject: (key, body, contentType) => putObject(s3, key, body, contentType),
        indexDocument: (index, id, source) => indexDocument(openSearch, index, id, source),
      }
      traced.push(await runOne(app, request, context, lambda, collector, functionName))
    }
    return traced
  } finally {
    await Promise.allSettled([
      ...[...lambdas.values()].map((l) => l.close()),
      collector.close(),
      s3.close(),
      openSearch.close(),
      clients.close(),
    ])
  }
}

async function runOne(
  app: LocalApp,
  request: TraceRequest,
  context: SeedContext,
  lambda: LambdaProcess,
  collector: Collector,
  functionName: string,
): Promise<TracedRequest> {
  const { target } = request
  const seed = target.template
    ? app.seeds?.[seedKey(target.route.method, target.route.path)]
    : undefined
  const seeded: SeededRequest = seed ? await seed(context) : {}
  const pathParameters = target.pathParameters ?? seeded.pathParameters
  const event = restEvent({
    method: target.route.method,
    resource: target.route.path,
    pathParameters,
    query: target.query ?? seeded.query,
    body: request.body ?? seeded.body,
    userId: context.userId,
  })
  const header = newTraceHeader(true)
  const traceId = header.traceId
  let status: number
  let logs: string[]
  try {
    const invocation = await lambda.invoke<APIGatewayProxyResult>(event, {
      traceHeader: header.header,
    })
    status = invocation.result.statusCode
    logs = invocation.logs
  } catch (error) {
    // A handler that throws is a 502 at API Gateway; its trace (with the fault) is still sent.
    if (!(error instanceof LambdaProcessError)) throw error
    status = 502
    logs = error.logs
  }
  const handlerName = `## ${functionName}`
  await collector
    .waitFor(
      (docs) =>
        docs.some((d) => d.trace_id === traceId && d.name === handlerName && !d.in_progress),
      5000,
    )
    .catch(() => undefined)
  const documents = (await collector.waitForQuiet(50)).filter((d) => d.trace_id === traceId)
  return {
    service: target.service.id,
    functionName,
    method: target.route.method,
    route: target.route.path,
    path: event.path,
    status,
    traceId,
    documents,
    logs,
  }
}

async function putObject(s3: S3Server, key: string, body: Buffer, contentType: string) {
  const url = `${s3.endpoint}/${LOCAL_BUCKET}/${key.split('/').map(encodeURIComponent).join('/')}`
  const response = await fetch(url, {
    method: 'PUT',
    body: new Uint8Array(body),
    headers: { 'content-type': contentType },
  })
  if (!response.ok) throw new Error(`seeding S3 ${key}: HTTP ${response.status}`)
}

async function indexDocument(
  openSearch: OpenSearchServer,
  index: string,
  id: string,
  source: Record<string, unknown>,
) {
  const url = `${openSearch.endpoint}/${index}/_doc/${encodeURIComponent(id)}?refresh=true`
  const response = await fetch(url, {
    method: 'PUT',
    body: JSON.stringify(source),
    headers: { 'content-type': 'application/json' },
  })
  if (!response.ok) throw new Error(`seeding OpenSearch ${index}/${id}: HTTP ${response.status}`)
}
