import { randomBytes, randomUUID } from 'node:crypto'
import { format } from 'node:util'
import type {
  APIGatewayProxyEvent,
  APIGatewayProxyEventV2WithJWTAuthorizer,
  Context,
} from 'aws-lambda'

/*
 * Invoking a handler the way the Lambda runtime does: environment first (the X-Ray SDK decides
 * Lambda mode when it loads), then per invocation a fresh `_X_AMZN_TRACE_ID`, an event as API
 * Gateway sends it, a context, and every line the function writes, as CloudWatch would get it.
 */

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

export interface EventInput {
  method: Method
  /** Resource template as API Gateway declares it: `/api/mocs/{id}`. */
  resource: string
  /** Concrete path; by default the resource with its `{param}`s replaced by `pathParameters`. */
  path?: string
  pathParameters?: Record<string, string>
  query?: Record<string, string>
  /** A string is sent as is; anything else as JSON. */
  body?: unknown
  headers?: Record<string, string>
  /** Cognito `sub` claim. Defaults to `user-1`; `null` sends no authorizer claims at all. */
  userId?: string | null
}

/** The default `sub` claim of test events. */
export const TEST_USER_ID = 'user-1'

/**
 * An API Gateway REST (v1) proxy event, as a Cognito-authorized stage `prod` sends it.
 *
 * @example
 * restEvent({ method: 'GET', resource: '/api/mocs/{id}', pathParameters: { id: mocId } })
 */
export function restEvent(input: EventInput): APIGatewayProxyEvent {
  const path = input.path ?? fillPath(input.resource, input.pathParameters)
  const headers = eventHeaders(input)
  const userId = input.userId === undefined ? TEST_USER_ID : input.userId
  const query = input.query ?? null
  return {
    resource: input.resource,
    path,
    httpMethod: input.method,
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
    queryStringParameters: query,
    multiValueQueryStringParameters: query
      ? Object.fromEntries(Object.entries(query).map(([k, v]) => [k, [v]]))
      : null,
    pathParameters: input.pathParameters ?? null,
    stageVariables: null,
    body: eventBody(input.body),
    isBase64Encoded: false,
    requestContext: {
      accountId: '123456789012',
      apiId: 'testapi123',
      authorizer: userId === null ? undefined : { claims: { sub: userId } },
      protocol: 'HTTP/1.1',
      httpMethod: input.method,
      identity: identity(),
      path: `/prod${path}`,
      stage: 'prod',
      requestId: randomUUID(),
      requestTimeEpoch: Date.now(),
      resourceId: 'abc123',
      resourcePath: input.resource,
    },
  }
}

/**
 * An API Gateway HTTP API (v2) event with a JWT authorizer, stage `$default`.
 *
 * @example
 * httpApiEvent({ method: 'POST', resource: '/api/wishlist', body: { setNumber: '10497' } })
 */
export function httpApiEvent(input: EventInput): APIGatewayProxyEventV2WithJWTAuthorizer {
  const path = input.path ?? fillPath(input.resource, input.pathParameters)
  const userId = input.userId === undefined ? TEST_USER_ID : input.userId
  const now = new Date()
  const routeKey = `${input.method} ${input.resource}`
  return {
    version: '2.0',
    routeKey,
    rawPath: path,
    rawQueryString: new URLSearchParams(input.query ?? {}).toString(),
    headers: eventHeaders(input),
    queryStringParameters: input.query,
    pathParameters: input.pathParameters,
    body: eventBody(input.body) ?? undefined,
    isBase64Encoded: false,
    requestContext: {
      accountId: '123456789012',
      apiId: 'testapi123',
      authorizer: {
        principalId: '',
        integrationLatency: 0,
        jwt: { claims: userId === null ? {} : { sub: userId }, scopes: [] },
      },
      domainName: 'testapi123.execute-api.us-east-1.amazonaws.com',
      domainPrefix: 'testapi123',
      http: {
        method: input.method,
        path,
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: 'vitest',
      },
      requestId: randomUUID(),
      routeKey,
      stage: '$default',
      time: now.toISOString(),
      timeEpoch: now.getTime(),
    },
  }
}

/** A trace header as Lambda puts it in `_X_AMZN_TRACE_ID`, with its parts. */
export interface TraceHeader {
  /** `Root=1-<8 hex time>-<24 hex>;Parent=<16 hex>;Sampled=1|0` */
  header: string
  traceId: string
  /** The id of the Lambda segment; the SDK's facade takes it, so it is the `parent_id` of top-level subsegments. */
  parentId: string
}

/**
 * A fresh trace header. The trace id's middle part is the current epoch second in hex, as the
 * trace-id format requires.
 *
 * @example
 * process.env._X_AMZN_TRACE_ID = newTraceHeader(true).header
 */
export function newTraceHeader(sampled: boolean): TraceHeader {
  const traceId = `1-${Math.floor(Date.now() / 1000)
    .toString(16)
    .padStart(8, '0')}-${randomBytes(12).toString('hex')}`
  const parentId = randomBytes(8).toString('hex')
  return {
    header: `Root=${traceId};Parent=${parentId};Sampled=${sampled ? 1 : 0}`,
    traceId,
    parentId,
  }
}

/**
 * A Lambda context for one invocation.
 *
 * @example
 * await handler(event, lambdaContext('moc-instructions'))
 */
export function lambdaContext(functionName: string): Context {
  const arn = `arn:aws:lambda:us-east-1:123456789012:function:${functionName}`
  const deadline = Date.now() + 30_000
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: arn,
    memoryLimitInMB: '1024',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `2026/01/01/[$LATEST]${randomBytes(16).toString('hex')}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  }
}

export interface InvokeOptions {
  /** Sampling decision in the trace header. Default true. */
  sampled?: boolean
  /** Default `AWS_LAMBDA_FUNCTION_NAME`, else `test-function`. */
  functionName?: string
  /** Use this context instead of a fresh one. */
  context?: Context
  /** Also pass the captured output through to the real streams. Default false. */
  echo?: boolean
}

export interface Invocation<R> {
  result: R
  traceId: string
  /** The facade's id: `parent_id` of the invocation's top-level subsegments. */
  parentId: string
  requestId: string
  /** Every line written to stdout or stderr (console included) during the call, in order. */
  logs: string[]
}

/**
 * Invokes a handler as Lambda does: a fresh `_X_AMZN_TRACE_ID` (left set afterwards, as Lambda
 * leaves it until the next invocation), a context, and the output captured line by line.
 * A handler that throws rejects, as Lambda reports an error; its output is then on the error as
 * `logs`.
 *
 * @example
 * const { result, traceId, logs } = await invoke(handler, restEvent({ method: 'GET', resource: '/api/wishlist' }))
 */
export async function invoke<E, R>(
  handler: (event: E, context: Context) => Promise<R>,
  event: E,
  options: InvokeOptions = {},
): Promise<Invocation<R>> {
  const trace = newTraceHeader(options.sampled ?? true)
  process.env._X_AMZN_TRACE_ID = trace.header
  const context =
    options.context ??
    lambdaContext(options.functionName ?? process.env.AWS_LAMBDA_FUNCTION_NAME ?? 'test-function')
  const capture = captureOutput(options.echo ?? false)
  try {
    const result = await handler(event, context)
    return {
      result,
      traceId: trace.traceId,
      parentId: trace.parentId,
      requestId: context.awsRequestId,
      logs: capture.lines(),
    }
  } catch (error) {
    if (error instanceof Error) Object.assign(error, { logs: capture.lines() })
    throw error
  } finally {
    capture.restore()
  }
}

const CONSOLE_METHODS = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const

/**
 * Captures what the process writes. Both the streams and console are wrapped: vitest routes
 * console output around process.stdout, and Lambda sends both to CloudWatch. Writes made by a
 * console call are counted once.
 */
export function captureOutput(echo = false): { lines(): string[]; restore(): void } {
  let text = ''
  let inConsole = false
  const streams = [process.stdout, process.stderr]
  const originalWrites = streams.map((stream) => stream.write)
  streams.forEach((stream, index) => {
    const original = originalWrites[index]
    stream.write = function (this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]) {
      if (!inConsole)
        text +=
          typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8')
      if (echo || inConsole)
        return (original as (...args: unknown[]) => boolean).call(this, chunk, ...rest)
      const callback = rest.find((arg) => typeof arg === 'function') as (() => void) | undefined
      callback?.()
      return true
    } as typeof stream.write
  })
  const originalConsole = CONSOLE_METHODS.map((name) => console[name])
  CONSOLE_METHODS.forEach((name, index) => {
    console[name] = (...args: unknown[]) => {
      text += `${format(...args)}\n`
      if (!echo) return
      inConsole = true
      try {
        originalConsole[index].apply(console, args)
      } finally {
        inConsole = false
      }
    }
  })
  return {
    lines: () => text.split('\n').filter((line) => line.length > 0),
    restore() {
      streams.forEach((stream, index) => {
        stream.write = originalWrites[index]
      })
      CONSOLE_METHODS.forEach((name, index) => {
        console[name] = originalConsole[index]
      })
    },
  }
}

export interface LambdaEnvironmentOptions {
  /** `AWS_LAMBDA_FUNCTION_NAME`. Default `lego-api-test`. */
  functionName?: string
  /** `AWS_REGION`. Default `us-east-1`. */
  region?: string
}

/**
 * Puts this process in Lambda mode for aws-xray-sdk-core, sending to `collectorAddress`. Call it
 * BEFORE the SDK (or anything importing it) is loaded: the SDK reads these variables once, at load.
 * Credentials are static test values so the AWS SDK never looks further.
 *
 * @example
 * const collector = await startCollector()
 * lambdaEnvironment(collector.address)
 * const { handler } = await import('../../generated/lego-api/src/functions/gallery')
 */
export function lambdaEnvironment(
  collectorAddress: string,
  options: LambdaEnvironmentOptions = {},
): Record<string, string> {
  const env = {
    ...lambdaVariables({
      functionName: options.functionName ?? 'lego-api-test',
      region: options.region ?? 'us-east-1',
      taskRoot: '/var/task',
    }),
    AWS_XRAY_DAEMON_ADDRESS: collectorAddress,
  }
  Object.assign(process.env, env)
  // A session token or profile from the developer's shell would otherwise ride along.
  delete process.env.AWS_SESSION_TOKEN
  delete process.env.AWS_PROFILE
  return env
}

/**
 * The variables Lambda sets for a function, with static test credentials (so the AWS SDK never
 * looks further): shared by the in-process set-up above and the Lambda child process.
 *
 * @example
 * const env = lambdaVariables({ functionName: 'lego-api-gallery', region: 'us-east-1', taskRoot: '/var/task' })
 */
export function lambdaVariables(options: {
  functionName: string
  region: string
  taskRoot: string
}): Record<string, string> {
  const { functionName, region, taskRoot } = options
  return {
    LAMBDA_TASK_ROOT: taskRoot,
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
    AWS_LAMBDA_FUNCTION_NAME: functionName,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '1024',
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${functionName}`,
    AWS_XRAY_CONTEXT_MISSING: 'LOG_ERROR',
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    AWS_ACCESS_KEY_ID: 'AKIATESTTESTTEST0000',
    AWS_SECRET_ACCESS_KEY: 'test-secret-access-key',
  }
}

/** The loopback endpoints the lego-api clients read from the environment. */
export interface AppEndpoints {
  /** Base URL of the loopback S3 server (`AWS_ENDPOINT_URL_S3`). */
  s3?: string
  /** Base URL of the loopback OpenSearch server (`OPENSEARCH_ENDPOINT`). */
  openSearch?: string
  /** `S3_BUCKET`. Default `lego-api-test`. */
  bucket?: string
}

/**
 * Points the lego-api clients at this machine: Postgres and Redis on 127.0.0.1, S3 and
 * OpenSearch at the given loopback servers. Call before importing the app.
 *
 * @example
 * appEnvironment({ s3: s3Server.endpoint, openSearch: searchServer.endpoint })
 */
export function appEnvironment(endpoints: AppEndpoints = {}): Record<string, string> {
  const env: Record<string, string> = {
    POSTGRES_HOST: '127.0.0.1',
    POSTGRES_PORT: '5432',
    POSTGRES_DB: 'test',
    POSTGRES_USER: 'postgres',
    POSTGRES_PASSWORD: 'postgres',
    REDIS_URL: 'redis://127.0.0.1:6379',
    S3_BUCKET: endpoints.bucket ?? 'lego-api-test',
  }
  if (endpoints.s3) env.AWS_ENDPOINT_URL_S3 = endpoints.s3
  if (endpoints.openSearch) env.OPENSEARCH_ENDPOINT = endpoints.openSearch
  Object.assign(process.env, env)
  return env
}

function fillPath(resource: string, params: Record<string, string> = {}): string {
  return resource.replace(/\{([^}+]+)\+?\}/g, (whole, name: string) => {
    const value = params[name]
    if (value === undefined) throw new Error(`no value for path parameter ${name} of ${resource}`)
    return encodeURIComponent(value)
  })
}

function eventHeaders(input: EventInput): Record<string, string> {
  return {
    accept: 'application/json',
    host: 'testapi123.execute-api.us-east-1.amazonaws.com',
    'user-agent': 'vitest',
    ...(input.body === undefined ? {} : { 'content-type': 'application/json' }),
    ...input.headers,
  }
}

function eventBody(body: unknown): string | null {
  if (body === undefined || body === null) return null
  return typeof body === 'string' ? body : JSON.stringify(body)
}

function identity(): APIGatewayProxyEvent['requestContext']['identity'] {
  return {
    accessKey: null,
    accountId: null,
    apiKey: null,
    apiKeyId: null,
    caller: null,
    clientCert: null,
    cognitoAuthenticationProvider: null,
    cognitoAuthenticationType: null,
    cognitoIdentityId: null,
    cognitoIdentityPoolId: null,
    principalOrgId: null,
    sourceIp: '127.0.0.1',
    user: null,
    userAgent: 'vitest',
    userArn: null,
  }
}
