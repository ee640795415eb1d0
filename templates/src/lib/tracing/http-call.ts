import { flagHttpStatus, openRemoteSubsegment, recordFault, type Subsegment } from './sdk'

/**
 * An outgoing HTTP call being traced: its remote subsegment and the `http.request` fields. Shared
 * by the fetch and axios captures, which record the same fields.
 */
export interface HttpCall {
  subsegment: Subsegment
  request: { method: string; url: string }
}

/**
 * Opens the remote subsegment of an HTTP call to `url`, named `name` or else after the URL's host
 * name (the node on the service map), or returns `undefined` when nothing would be sent (no trace,
 * unsampled) or the URL cannot be parsed.
 *
 * @example
 * ```ts
 * const call = openHttpCall(undefined, 'GET', 'https://api.example.com/v1/items?page=2')
 * ```
 */
export function openHttpCall(
  name: string | undefined,
  method: string,
  url: string | URL,
): HttpCall | undefined {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return undefined
  }
  const subsegment = openRemoteSubsegment(name ?? parsed.hostname)
  if (!subsegment) return undefined
  // Credentials (https://user:pass@host) and the query string (tokens, signatures of presigned
  // URLs, personal data) never reach a trace: origin and path only.
  return {
    subsegment,
    request: { method: method.toUpperCase(), url: parsed.origin + parsed.pathname },
  }
}

/**
 * Records the call's `http` fields and closes its subsegment: a 4xx answer is an error (the
 * caller's), a 5xx a fault with an exception naming the status, and a call without an answer (a
 * refused connection, a timeout, an abort) a fault with its exception.
 *
 * @example
 * ```ts
 * finishHttpCall(call, response.status)
 * ```
 */
export function finishHttpCall(call: HttpCall, status?: number, error?: unknown): void {
  const { subsegment, request } = call
  try {
    subsegment.addAttribute('http', {
      request,
      ...(status !== undefined ? { response: { status } } : {}),
    })
    if (status !== undefined && status < 500) flagHttpStatus(subsegment, status)
    else if (status !== undefined) {
      recordFault(
        subsegment,
        error ?? new Error(`${request.method} ${request.url} answered ${status}`),
      )
    } else
      recordFault(subsegment, error ?? new Error(`${request.method} ${request.url} got no answer`))
  } finally {
    subsegment.close()
  }
}
