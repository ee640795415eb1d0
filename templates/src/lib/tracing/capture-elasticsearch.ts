import { describeRequest, finish } from './capture-opensearch'
import { openRemoteSubsegment } from './sdk'

/** What the capture reads of a transport request: `params` of `transport.request`. */
interface RequestParams {
  method: string
  path: string
}

/** The transport's answer with `meta: true`; a `ResponseError` carries it as its `meta`. */
interface TransportResult {
  statusCode?: number | null
  body?: unknown
  meta?: { connection?: { url?: URL } }
}

type Request = (params: RequestParams, options?: { meta?: boolean }) => Promise<unknown>

/** Marks a transport whose `request` is wrapped: capturing twice does not trace twice. */
const CAPTURED = Symbol.for('xray-scaffold.tracing.elasticsearch-captured')

/**
 * Traces every request of an Elasticsearch client (`@elastic/elasticsearch` 8 and later) as one
 * remote subsegment named `name` (the Elasticsearch node on the service map), with the fields the
 * OpenSearch capture records: `http.request { method, url }` (origin and path: no credentials,
 * no query string), `http.response { status }`, annotations `index` and `operation`, and the
 * total hit count of a search as `hits` metadata. Bodies are never recorded. A 4xx answer is an
 * error (a missing document is the caller's), a 5xx or a request that got no answer a fault
 * with its exception.
 *
 * Every API method goes through `client.transport.request(params, options)`, so wrapping it on
 * this client's transport traces this client only, retries included in one call. The capture
 * asks the transport for the full result (`meta: true`) to read the status and URL, and hands
 * the caller what it asked for: the body alone unless it passed `meta: true` itself.
 *
 * @example
 * ```ts
 * export const search = captureElasticsearch(new Client({ node: process.env.ELASTICSEARCH_URL }))
 * ```
 */
export function captureElasticsearch<C>(client: C, name = 'Elasticsearch'): C {
  const transport = (client as { transport?: { request?: Request; [CAPTURED]?: true } }).transport
  if (typeof transport?.request !== 'function' || transport[CAPTURED]) return client
  transport[CAPTURED] = true
  const request = transport.request.bind(transport)
  transport.request = async (params, options = {}) => {
    const subsegment = openRemoteSubsegment(name)
    if (!subsegment) return request(params, options)
    describeRequest(subsegment, params)
    let result: TransportResult
    try {
      result = (await request(params, { ...options, meta: true })) as TransportResult
    } catch (error) {
      finish(subsegment, params, error, (error as { meta?: TransportResult } | null)?.meta, name)
      throw error
    }
    finish(subsegment, params, null, result, name)
    return options.meta === true ? result : result.body
  }
  return client
}
