import type pg from 'pg'
import { openRemoteSubsegment, recordFault, type Subsegment } from './sdk'

/**
 * Every `pg` query as a remote subsegment `<database>@<host>`, the node the service map draws for
 * the database, with the `sql` fields X-Ray defines: `url` (`postgresql://host:port/database`,
 * never the password), `user`, `database_type`, `preparation` for named (prepared) statements,
 * the versions from `POSTGRES_DATABASE_VERSION` / `POSTGRES_DRIVER_VERSION` when set, and the
 * statement text only when `AWS_XRAY_COLLECT_SQL_QUERIES` is set. Parameter values never are.
 *
 * It records what aws-xray-sdk-postgres records, without it: that capture reads pg internals
 * (`activeQuery`, `queryQueue`) deprecated in pg 8.23 and removed in pg 9, writes its callback
 * into the caller's query config (Drizzle reuses one per prepared query), and builds a
 * subsegment, SQL data and listeners for unsampled traces too, where nothing is sent. Here an
 * unsampled or untraced query goes straight to pg. So do pg's submittables (Query objects,
 * cursors, streams), which report their end in ways of their own: they are not traced.
 */

type Query = (this: pg.Client, ...args: unknown[]) => unknown
type Callback = (error: unknown, result: unknown) => void

const CAPTURED = Symbol.for('lego-api.tracing.pg-captured')

/**
 * Patches `Client.prototype.query` of the given `pg` module (which `Pool` and Drizzle use).
 * Idempotent.
 *
 * @example
 * ```ts
 * capturePostgres(pg)
 * ```
 */
export function capturePostgres(module: typeof pg): void {
  const prototype = module.Client.prototype as unknown as Record<symbol, boolean> & {
    query: Query
  }
  if (prototype[CAPTURED]) return
  prototype[CAPTURED] = true
  const query = prototype.query
  prototype.query = function capturedQuery(this: pg.Client, ...args: unknown[]): unknown {
    const [config] = args
    const subsegment = isSubmittable(config)
      ? undefined
      : openRemoteSubsegment(`${this.database}@${this.host}`)
    if (!subsegment) return query.apply(this, args)
    subsegment.addSqlData(sqlData(this, config))
    const last = args.length - 1
    const callback = args[last]
    if (typeof callback === 'function') {
      // Pool.query (and so Drizzle over a pool) hands pg a callback: close before calling it, so
      // the subsegment times the query and not what the caller does with its result.
      args[last] = closeThenCall(subsegment, callback as Callback)
      return callOrFinish(query, this, args, subsegment)
    }
    const configCallback = (config as { callback?: unknown } | null)?.callback
    if (typeof configCallback === 'function') {
      // pg also takes the callback inside the config; a copy carries the wrapped one, so the
      // caller's object is left as it was.
      args[0] = {
        ...(config as object),
        callback: closeThenCall(subsegment, configCallback as Callback),
      }
      return callOrFinish(query, this, args, subsegment)
    }
    const result = callOrFinish(query, this, args, subsegment)
    if (isPromise(result)) {
      result.then(
        () => finish(subsegment),
        (error: unknown) => finish(subsegment, error),
      )
    }
    return result
  }
}

/** Calls pg's query; a synchronous throw (an invalid config, say) still closes the subsegment. */
function callOrFinish(
  query: Query,
  client: pg.Client,
  args: unknown[],
  subsegment: Subsegment,
): unknown {
  try {
    return query.apply(client, args)
  } catch (error) {
    finish(subsegment, error)
    throw error
  }
}

function closeThenCall(subsegment: Subsegment, callback: Callback): Callback {
  return function closeThenCall(error, result) {
    finish(subsegment, error)
    callback(error, result)
  }
}

function finish(subsegment: Subsegment, error?: unknown): void {
  if (error) recordFault(subsegment, error)
  subsegment.close()
}

/** Query objects, cursors and streams: pg's own submittables, passed through untraced. */
function isSubmittable(config: unknown): boolean {
  return (
    typeof config === 'object' &&
    config !== null &&
    typeof (config as { submit?: unknown }).submit === 'function'
  )
}

function isPromise(value: unknown): value is Promise<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === 'function'
}

function sqlData(client: pg.Client, config: unknown): Record<string, string> {
  const { text, name } = (typeof config === 'string' ? { text: config } : (config ?? {})) as {
    text?: unknown
    name?: unknown
  }
  const data: Record<string, string> = {}
  if (process.env.POSTGRES_DATABASE_VERSION) {
    data.database_version = process.env.POSTGRES_DATABASE_VERSION
  }
  if (process.env.POSTGRES_DRIVER_VERSION) data.driver_version = process.env.POSTGRES_DRIVER_VERSION
  if (typeof name === 'string' && name !== '') data.preparation = 'statement'
  data.url = `postgresql://${client.host}:${client.port}/${client.database}`
  data.user = client.user ?? ''
  data.database_type = 'PostgreSQL'
  if (process.env.AWS_XRAY_COLLECT_SQL_QUERIES && typeof text === 'string') {
    data.sanitized_query = text
  }
  return data
}
