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
