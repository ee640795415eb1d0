/**
 * The trace header of the current invocation, as the Lambda runtime hands it over. Runtimes that
 * serve several invocations at once keep it in `awslambda.InvokeStore` (per invocation); the
 * others set `_X_AMZN_TRACE_ID` before each invocation. Read at every call, never cached.
 *
 * @example
 * ```ts
 * currentTraceHeader() // 'Root=1-67891233-abcdef012345678912345678;Parent=53995c3f42cd8ad8;Sampled=1'
 * ```
 */
export function currentTraceHeader(): string | undefined {
  return invokeStoreTraceHeader() ?? process.env._X_AMZN_TRACE_ID
}

/**
 * The trace id of the current invocation: the `Root` of {@link currentTraceHeader}.
 *
 * @example
 * ```ts
 * currentTraceId() // '1-67891233-abcdef012345678912345678'
 * ```
 */
export function currentTraceId(): string | undefined {
  const header = currentTraceHeader()
  if (!header) return undefined
  for (const part of header.split(';')) {
    const [key, value] = part.split('=')
    if (key?.trim() === 'Root' && value) return value.trim()
  }
  return undefined
}

interface InvokeStore {
  getXRayTraceId(): string | undefined
}

function invokeStoreTraceHeader(): string | undefined {
  const lambda = (globalThis as { awslambda?: { InvokeStore?: InvokeStore } }).awslambda
  return lambda?.InvokeStore?.getXRayTraceId()
}

/** The fields of a trace header the Lambda facade takes, as the SDK's `processTraceData` reads them. */
export interface TraceHeaderFields {
  root: string
  parent: string
  sampled: string
  /** The header's other keys (Lineage, …), at most 256 characters of keys and values in all. */
  data: Record<string, string>
}

/** Room for the header's other keys, as the SDK counts it. */
const MAX_EXTRA_CHARACTERS = 256

/**
 * Reads a trace header the way the SDK's `processTraceData` does (`;`-separated `key=value`
 * pairs, keys case-insensitive, values trimmed, other keys kept up to 256 characters), without
 * its per-pair closures and arrays, and only when `Root`, `Parent` and `Sampled` are all there
 * and the root is a trace id in its canonical form (`1-` + 8 + `-` + 24 lowercase hexadecimal
 * characters). Anything else is `undefined`: the SDK's own handling, with its log lines, applies.
 *
 * @example
 * ```ts
 * parseTraceHeader('Root=1-67891233-abcdef012345678912345678;Parent=53995c3f42cd8ad8;Sampled=0')
 * // { root: '1-67891233-abcdef012345678912345678', parent: '53995c3f42cd8ad8', sampled: '0', data: {} }
 * ```
 */
export function parseTraceHeader(header: string): TraceHeaderFields | undefined {
  let root: string | undefined
  let parent: string | undefined
  let sampled: string | undefined
  const data: Record<string, string> = {}
  let remaining = MAX_EXTRA_CHARACTERS
  let start = 0
  while (start < header.length) {
    let end = header.indexOf(';', start)
    if (end === -1) end = header.length
    const equals = header.indexOf('=', start)
    const pairStart = start
    start = end + 1
    // No key, or no value before the next `=` (the SDK splits on every `=` and takes the second part).
    if (equals <= pairStart || equals >= end) continue
    let valueEnd = header.indexOf('=', equals + 1)
    if (valueEnd === -1 || valueEnd > end) valueEnd = end
    if (valueEnd === equals + 1) continue
    const key = header.slice(pairStart, equals).trim()
    const value = header.slice(equals + 1, valueEnd).trim()
    const lower = key.toLowerCase()
    if (lower === 'root') root = value
    else if (lower === 'parent') parent = value
    else if (lower === 'sampled') sampled = value
    else if (lower === 'self') continue
    else if (remaining - (lower.length + value.length) >= 0) {
      data[key] = value
      remaining -= key.length + value.length
    }
  }
  if (root === undefined || !parent || !sampled || !isCanonicalTraceId(root)) return undefined
  return { root, parent, sampled, data }
}

/** `1-` + 8 + `-` + 24 lowercase hexadecimal characters: what the SDK's TraceID prints back as is. */
function isCanonicalTraceId(id: string): boolean {
  if (id.length !== 35 || id.charCodeAt(0) !== 49 || id.charCodeAt(1) !== 45) return false
  if (id.charCodeAt(10) !== 45) return false
  for (let i = 2; i < 35; i++) {
    if (i === 10) continue
    const c = id.charCodeAt(i)
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102))) return false
  }
  return true
}
