import { finishHttpCall, openHttpCall, type HttpCall } from './http-call'

/** What the capture reads of an axios request config. */
interface RequestConfig {
  method?: string
  url?: string
  baseURL?: string
  [CALL]?: HttpCall
}

interface Interceptors<V> {
  use(onFulfilled: (value: V) => V, onRejected?: (error: unknown) => unknown): number
}

/** The part of an axios instance (or the default `axios`) the capture needs. */
interface AxiosLike {
  interceptors: {
    request: Interceptors<RequestConfig>
    response: Interceptors<{ status: number; config?: RequestConfig }>
  }
  getUri?: (config?: RequestConfig) => string
  [CAPTURED]?: true
}

/** Marks a captured instance; the call in flight rides on its request config. */
const CAPTURED = Symbol.for('xray-scaffold.tracing.axios-captured')
const CALL = Symbol('xray-call')

/**
 * Traces every request of an axios instance (or of the default `axios`) as a remote subsegment
 * named `name`, or else after the URL's host name (the node on the service map), with
 * `http.request { method, url }` (origin and path: no credentials, no query string or `params`)
 * and `http.response { status }`. A 4xx answer is an error, a 5xx a fault with axios's error;
 * a request that gets no answer (refused, timed out, cancelled) a fault with its exception.
 * Bodies and headers are never recorded.
 *
 * It adds a request and a response interceptor. axios runs request interceptors last-added
 * first, so the subsegment opens after the interceptors added before the capture (usually all
 * of them: the capture is applied where the instance is created) and times the request itself.
 * Capturing twice changes nothing.
 *
 * @example
 * ```ts
 * export const api = captureAxios(axios.create({ baseURL: process.env.PAYMENTS_URL }), 'Payments')
 * ```
 */
export function captureAxios<C>(instance: C, name?: string): C {
  const target = instance as unknown as AxiosLike
  if (!target?.interceptors || target[CAPTURED]) return instance
  target[CAPTURED] = true
  target.interceptors.request.use((config) => {
    const call = openHttpCall(name, config.method ?? 'get', fullUrl(target, config))
    if (call) config[CALL] = call
    return config
  })
  target.interceptors.response.use(
    (response) => {
      const call = takeCall(response.config)
      if (call) finishHttpCall(call, response.status)
      return response
    },
    (error: unknown) => {
      const { config, response } = (error ?? {}) as {
        config?: RequestConfig
        response?: { status?: number }
      }
      const call = takeCall(config)
      if (call) finishHttpCall(call, response?.status, error)
      return Promise.reject(error)
    },
  )
  return instance
}

function takeCall(config: RequestConfig | undefined): HttpCall | undefined {
  const call = config?.[CALL]
  if (config && call) config[CALL] = undefined
  return call
}

/** The absolute URL of the request, as axios builds it (`baseURL` joined with `url`). */
function fullUrl(instance: AxiosLike, config: RequestConfig): string {
  try {
    if (instance.getUri) return instance.getUri(config)
  } catch {
    // Fall through to the plain join.
  }
  const { baseURL = '', url = '' } = config
  if (/^[a-z][a-z\d+.-]*:\/\//i.test(url) || !baseURL) return url
  return `${baseURL.replace(/\/+$/, '')}/${url.replace(/^\/+/, '')}`
}
