/**
 * The trace id of the current invocation, as the Lambda runtime hands it over. Runtimes that
 * serve several invocations at once keep it in `awslambda.InvokeStore`; the others set
 * `_X_AMZN_TRACE_ID` before each invocation. Read at every call, never cached.
 *
 * @example
 * ```ts
 * currentTraceId() // '1-67891233-abcdef012345678912345678'
 * ```
 */
export function currentTraceId(): string | undefined {
  const header = invokeStoreTraceHeader() ?? process.env._X_AMZN_TRACE_ID
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
