import { addAnnotation } from './annotations'
import { flagHttpStatus, openRemoteSubsegment, recordFault, type Subsegment } from './sdk'

/** What the capture reads of a transport request: the OpenSearch / Elasticsearch `params`. */
interface RequestParams {
  method: string
  path: string
}
type Callback = (error: unknown, result: unknown) => void

interface ResponseLike {
  statusCode?: number | null
  body?: unknown
  meta?: { connection?: { url?: URL } }
}

/** A client whose API methods all go through `transport.request` (OpenSearch JS client). */
interface TransportClient {
  transport: object
}

/**
 * Traces every request of an OpenSearch client. Each API method (`search`, `index`, `delete`, ...)
 * goes through `client.transport.request`, so wrapping that one method on this client's
 * transport traces every call of this client, retries included, as one remote subsegment named
 * like the OpenSearch node on the service map. Global HTTP patching would also capture the AWS
 * SDK's own HTTP calls and draw spurious nodes.
 *
 * Recorded: `http.request { method, url }` (origin and path; no credentials, no query string),
 * `http.response { status }`, annotations `index` and `operation` (search, index, get, delete,
 * bulk, ...), and for searches the total hit count as `hits` metadata. Bodies are not recorded.
 *
 * @example
 * ```ts
 * export const search = captureOpenSearch(new Client({ node: process.env.OPENSEARCH_ENDPOINT }))
 * ```
 */
export function captureOpenSearch<C extends TransportClient>(client: C, name = 'OpenSearch'): C {
  const transport = client.transport as unknown as {
    request: (params: RequestParams, options?: unknown, callback?: unknown) => unknown
  }
  const original = transport.request.bind(transport)
  transport.request = (params: RequestParams, options?: unknown, callback?: unknown): unknown => {
    if (typeof options === 'function') {
      callback = options
      options = {}
    }
    const subsegment = openRemoteSubsegment(name)
    if (!subsegment) return original(params, options, callback)
    describeRequest(subsegment, params)
    if (typeof callback === 'function') {
      const done = callback as Callback
      return original(params, options, (error: unknown, result: unknown) => {
        finish(subsegment, params, error, result as ResponseLike)
        done(error, result)
      })
    }
    const pending = original(params, options) as PromiseLike<ResponseLike>
    pending.then(
      (result) => finish(subsegment, params, null, result),
      (error: unknown) =>
        finish(subsegment, params, error, (error as { meta?: ResponseLike }).meta),
    )
    // The transport's own return value (a promise with `abort`) goes back to the caller.
    return pending
  }
  return client
}

function describeRequest(subsegment: Subsegment, params: RequestParams): void {
  const { index, operation } = parsePath(params.method, params.path)
  if (index !== undefined) addAnnotation(subsegment, 'index', index)
  addAnnotation(subsegment, 'operation', operation)
}

function finish(
  subsegment: Subsegment,
  params: RequestParams,
  error: unknown,
  result: ResponseLike | undefined,
): void {
  try {
    const status = typeof result?.statusCode === 'number' ? result.statusCode : undefined
    subsegment.addAttribute('http', {
      request: { method: params.method, url: requestUrl(result, params.path) },
      ...(status !== undefined ? { response: { status } } : {}),
    })
    const hits = totalHits(result?.body)
    if (hits !== undefined) subsegment.addMetadata('hits', hits)
    if (status !== undefined && status >= 400 && status < 500) {
      // A client error (404 on a missing document) is the caller's, not a dependency fault.
      flagHttpStatus(subsegment, status)
    } else if (error || (status !== undefined && status >= 500)) {
      recordFault(subsegment, error ?? new Error(`OpenSearch answered ${status}`))
    }
  } finally {
    subsegment.close()
  }
}

/**
 * Index and operation from the request path: `/mocs/_search` → search, `PUT|POST /mocs/_doc/1`
 * → index, `GET` → get, `DELETE` → delete, `/_bulk` → bulk; other endpoints are named after
 * their `_endpoint` segment, or the method when there is none.
 */
function parsePath(method: string, path: string): { index?: string; operation: string } {
  const segments = path.split('/').filter((segment) => segment !== '')
  const first = segments[0]
  const index = first !== undefined && !first.startsWith('_') ? decode(first) : undefined
  const endpoint = segments.find((segment) => segment.startsWith('_'))
  const verb = method.toUpperCase()
  let operation: string
  if (endpoint === '_search') operation = 'search'
  else if (endpoint === '_bulk') operation = 'bulk'
  else if (endpoint === '_doc' || endpoint === '_create' || endpoint === undefined) {
    if (verb === 'PUT' || verb === 'POST')
      operation = endpoint === undefined ? 'create_index' : 'index'
    else if (verb === 'DELETE') operation = endpoint === undefined ? 'delete_index' : 'delete'
    else if (verb === 'HEAD') operation = 'exists'
    else operation = 'get'
  } else operation = endpoint.slice(1)
  return { index, operation }
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment)
  } catch {
    return segment
  }
}

function requestUrl(result: ResponseLike | undefined, path: string): string | undefined {
  const base = result?.meta?.connection?.url ?? endpointUrl()
  if (!base) return undefined
  const url = new URL(base.toString())
  // Credentials in the endpoint (https://user:pass@host) must never reach a trace.
  url.username = ''
  url.password = ''
  return url.origin + path
}

function endpointUrl(): URL | undefined {
  try {
    return process.env.OPENSEARCH_ENDPOINT ? new URL(process.env.OPENSEARCH_ENDPOINT) : undefined
  } catch {
    return undefined
  }
}

function totalHits(body: unknown): number | undefined {
  const total = (body as { hits?: { total?: unknown } } | undefined)?.hits?.total
  if (typeof total === 'number') return total
  const value = (total as { value?: unknown } | undefined)?.value
  return typeof value === 'number' ? value : undefined
}
