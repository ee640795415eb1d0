import { randomBytes } from 'node:crypto'
import { createSocket } from 'node:dgram'

/** One X-Ray document as the daemon receives it. */
export type Doc = Record<string, any>

/**
 * A UDP listener speaking the daemon protocol (`{"format":"json","version":1}\n<document>`),
 * enough for the runtime's own tests.
 */
export async function listen(): Promise<{
  address: string
  documents(): Doc[]
  waitFor(pred: (docs: Doc[]) => boolean, timeoutMs?: number): Promise<Doc[]>
  clear(): void
  close(): void
}> {
  const socket = createSocket('udp4')
  const docs: Doc[] = []
  socket.on('message', (message) => {
    const text = message.toString('utf8')
    const newline = text.indexOf('\n')
    const header = JSON.parse(text.slice(0, newline))
    if (header.format !== 'json' || header.version !== 1) throw new Error(`bad header ${text}`)
    docs.push(JSON.parse(text.slice(newline + 1)))
  })
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve))
  const { port } = socket.address()
  return {
    address: `127.0.0.1:${port}`,
    documents: () => [...docs],
    async waitFor(pred, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs
      while (!pred(docs)) {
        if (Date.now() > deadline) throw new Error(`timed out; got ${JSON.stringify(docs)}`)
        await new Promise((resolve) => setTimeout(resolve, 10))
      }
      return [...docs]
    },
    clear: () => void docs.splice(0),
    close: () => socket.close(),
  }
}

/** Puts the process in Lambda mode for aws-xray-sdk-core; call BEFORE importing the runtime. */
export function enterLambdaMode(daemonAddress: string): void {
  process.env.LAMBDA_TASK_ROOT = '/var/task'
  process.env.AWS_LAMBDA_FUNCTION_NAME = 'lego-api-test'
  process.env.AWS_XRAY_DAEMON_ADDRESS = daemonAddress
  process.env.AWS_XRAY_CONTEXT_MISSING = 'LOG_ERROR'
}

/** Sets a fresh trace header, as Lambda does before each invocation; returns its trace id. */
export function newTrace(sampled = true): { traceId: string; parentId: string } {
  const traceId = `1-${Math.floor(Date.now() / 1000).toString(16)}-${randomBytes(12).toString('hex')}`
  const parentId = randomBytes(8).toString('hex')
  process.env._X_AMZN_TRACE_ID = `Root=${traceId};Parent=${parentId};Sampled=${sampled ? 1 : 0}`
  return { traceId, parentId }
}

/** A Lambda context with the fields the runtime reads. */
export function lambdaContext(functionName = 'moc-instructions'): any {
  return {
    functionName,
    awsRequestId: randomBytes(16).toString('hex'),
    callbackWaitsForEmptyEventLoop: false,
  }
}

/** A REST (v1) proxy event. */
export function restEvent(overrides: Record<string, any> = {}): any {
  return {
    httpMethod: 'GET',
    path: '/api/mocs/moc-1',
    resource: '/api/mocs/{id}',
    pathParameters: { id: 'moc-1' },
    headers: {},
    body: null,
    requestContext: {
      requestId: 'api-request-1',
      stage: 'prod',
      authorizer: { claims: { sub: 'user-1' } },
    },
    ...overrides,
  }
}

/** Every subsegment in the documents, nested ones included. */
export function allSubsegments(docs: Doc[]): Doc[] {
  const out: Doc[] = []
  const walk = (doc: Doc) => {
    out.push(doc)
    for (const child of doc.subsegments ?? []) walk(child)
  }
  docs.forEach(walk)
  return out
}
