import { finishHttpCall, openHttpCall } from './http-call'

/** Marks a fetch returned by `captureFetch`: capturing it again returns it as it is. */
const CAPTURED = Symbol.for('xray-scaffold.tracing.fetch-captured')

/**
 * A traced `fetch`: each call is a remote subsegment named `name`, or else after the URL's host
 * name (the node on the service map), with `http.request { method, url }` (origin and path: no
 * credentials, no query string) and `http.response { status }`. A 4xx answer is an error, a 5xx
 * a fault; a call that gets no answer (refused, timed out, aborted) a fault with its exception.
 * Bodies and headers are never recorded. The subsegment closes when the response headers
 * arrive: reading the body is the caller's time.
 *
 * The global `fetch` is left as it is (patching it would also trace the HTTP calls of libraries
 * that trace themselves): the traced function is the one the module that calls it uses.
 *
 * @example
 * ```ts
 * const fetch = captureFetch()
 * const payments = captureFetch(globalThis.fetch, 'Payments API')
 * const response = await payments('https://payments.example.com/v1/charges', { method: 'POST' })
 * ```
 */
export function captureFetch(
  fetchImpl: typeof fetch = globalThis.fetch,
  name?: string,
): typeof fetch {
  if ((fetchImpl as { [CAPTURED]?: true })[CAPTURED]) return fetchImpl
  const traced = async function capturedFetch(
    input: string | URL | Request,
    init?: RequestInit,
  ): Promise<Response> {
    const request = input instanceof Request ? input : undefined
    const url = request ? request.url : input instanceof URL ? input.href : String(input)
    const call = openHttpCall(name, init?.method ?? request?.method ?? 'GET', url)
    if (!call) return fetchImpl(input, init)
    let response: Response
    try {
      response = await fetchImpl(input, init)
    } catch (error) {
      finishHttpCall(call, undefined, error)
      throw error
    }
    finishHttpCall(call, response.status)
    return response
  }
  return Object.assign(traced, { [CAPTURED]: true as const }) as unknown as typeof fetch
}
