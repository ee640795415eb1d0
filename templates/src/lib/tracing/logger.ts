import { redactError } from './redact-error'
import { boundedStack } from './stack-frames'
import { currentTraceId } from './trace-id'

/** Log levels, in the order of their severity. */
export type LogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR'

const SEVERITY: Record<LogLevel, number> = { DEBUG: 10, INFO: 20, WARN: 30, ERROR: 40 }

/** What every log line of an invocation carries; `withTracing` sets them for each invocation. */
export interface InvocationFields {
  service: string
  functionRequestId?: string
  coldStart?: boolean
  /** The invocation's trace id; without it, the runtime's current trace header is read. */
  traceId?: string
}

/** The fields of lines written outside any invocation (at load, or by unwrapped code). */
const OUTSIDE_INVOCATIONS: InvocationFields = {
  service: process.env.POWERTOOLS_SERVICE_NAME ?? 'service_undefined',
}

let currentFields: () => InvocationFields | undefined = () => undefined

/**
 * Tells the logger where the current invocation's fields are: in the context the invocation runs
 * in (sdk.ts keeps them there, see `runInvocation`), so that a line written later by work the
 * invocation left running still names it, even while another invocation runs.
 *
 * @example
 * ```ts
 * readInvocationFieldsFrom(() => namespace.get('logFields'))
 * ```
 */
export function readInvocationFieldsFrom(source: () => InvocationFields | undefined): void {
  currentFields = source
}

// Read once: Lambda sets the log level when the execution environment starts, and a log call
// (the SDK's debug messages included) must not pay three environment lookups to be skipped.
const THRESHOLD =
  SEVERITY[
    (
      process.env.POWERTOOLS_LOG_LEVEL ??
      process.env.AWS_LAMBDA_LOG_LEVEL ??
      process.env.LOG_LEVEL ??
      'INFO'
    ).toUpperCase() as LogLevel
  ] ?? SEVERITY.INFO

/**
 * Whether a line of `level` is written, so that callers can skip building an expensive message.
 *
 * @example
 * ```ts
 * if (isLevelEnabled('DEBUG')) logger.debug(describe(everything))
 * ```
 */
export function isLevelEnabled(level: LogLevel): boolean {
  return SEVERITY[level] >= THRESHOLD
}

/** Errors do not serialise with JSON.stringify (their fields are not enumerable). */
function serializeError(error: Error): { name: string; message: string; stack?: string } {
  const { name, message, stack } = redactError(error)
  return { name, message, stack: boundedStack(stack) }
}

function replacer(_key: string, value: unknown): unknown {
  if (value instanceof Error) return serializeError(value)
  if (typeof value === 'bigint') return value.toString()
  return value
}

function extraFields(extra: unknown): Record<string, unknown> {
  if (extra === undefined) return {}
  if (extra instanceof Error) return { error: serializeError(extra) }
  if (typeof extra === 'object' && extra !== null && !Array.isArray(extra)) {
    return extra as Record<string, unknown>
  }
  return { extra }
}

function write(level: LogLevel, message: string, extra?: unknown): void {
  if (!isLevelEnabled(level)) return
  const invocation = currentFields() ?? OUTSIDE_INVOCATIONS
  // The standard fields go last so that `extra` cannot overwrite them.
  const line = {
    ...extraFields(extra),
    level,
    message,
    timestamp: new Date().toISOString(),
    service: invocation.service,
    cold_start: invocation.coldStart,
    function_name: process.env.AWS_LAMBDA_FUNCTION_NAME,
    function_request_id: invocation.functionRequestId,
    xray_trace_id: invocation.traceId ?? currentTraceId(),
  }
  let text: string
  try {
    text = JSON.stringify(line, replacer)
  } catch {
    // A circular `extra` must not turn a log call into a crash.
    text = JSON.stringify({ ...line, ...{ extra: '[unserializable]' } })
  }
  // Straight to stdout, not console.log: with Lambda's JSON log format the runtime wraps console
  // output in its own JSON object, burying these fields in a `message` string that Logs Insights
  // queries on `xray_trace_id` would not see.
  process.stdout.write(`${text}\n`)
}

/** A JSON logger with the Powertools Logger field names. */
export interface Logger {
  debug(message: string, extra?: unknown): void
  info(message: string, extra?: unknown): void
  warn(message: string, extra?: unknown): void
  error(message: string, extra?: unknown): void
}

/**
 * Writes one JSON object per line on stdout with `level`, `message`, `timestamp`, `service`,
 * `cold_start`, `function_request_id` and `xray_trace_id`, so CloudWatch Logs Insights can join
 * a log line to its trace. An `Error` passed as `extra` (or as a field of it) is written as
 * `{ name, message, stack }`. The level threshold comes from `POWERTOOLS_LOG_LEVEL`,
 * `AWS_LAMBDA_LOG_LEVEL` or `LOG_LEVEL` (default `INFO`).
 *
 * @example
 * ```ts
 * logger.info('MOC created', { mocId })
 * logger.error('Failed to load MOC', error)
 * ```
 */
export const logger: Logger = {
  debug: (message, extra) => write('DEBUG', message, extra),
  info: (message, extra) => write('INFO', message, extra),
  warn: (message, extra) => write('WARN', message, extra),
  error: (message, extra) => write('ERROR', message, extra),
}

// Node prints process warnings (a dependency's deprecation notice, say) as plain text on stderr.
// In Lambda that is a log line Logs Insights cannot parse or join to its trace, so Node's own
// printer is replaced by a JSON WARN line. The guard keeps one listener per process even if this
// module is loaded twice (bundles with two copies, test runners that reload modules).
const WARNINGS_AS_JSON = Symbol.for('lego-api.tracing.warnings-as-json')
const processState = process as unknown as Record<symbol, boolean>
if (!processState[WARNINGS_AS_JSON]) {
  processState[WARNINGS_AS_JSON] = true
  for (const listener of process.listeners('warning')) {
    if (listener.name === 'onWarning') process.removeListener('warning', listener)
  }
  process.on('warning', (warning: Error & { code?: string }) => {
    logger.warn(warning.message, { warning: { name: warning.name, code: warning.code } })
  })
}
