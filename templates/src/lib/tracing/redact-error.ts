const PARAMS_LINE = '\nparams: '

/**
 * The error as it may be written to a trace or a log line. Drizzle wraps a failed query in an
 * error whose message lists the statement and its parameter values (`Failed query: insert ...
 * \nparams: 75192,Millennium Falcon`): user data that must never reach X-Ray or CloudWatch. Such
 * an error is replaced by one with the same name and stack frames whose message keeps only the
 * driver's reason (its `cause`). Any other error is returned as it is.
 *
 * @example
 * ```ts
 * subsegment.addError(redactError(error))
 * ```
 */
export function redactError(error: Error): Error {
  if (!error.message.includes(PARAMS_LINE)) return error
  const reason = error.cause instanceof Error ? error.cause.message : 'see the database logs'
  const redacted = new Error(`Failed query (statement and parameters withheld): ${reason}`)
  redacted.name = error.name
  const frames = (error.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line))
  redacted.stack = [`${redacted.name}: ${redacted.message}`, ...frames].join('\n')
  return redacted
}
