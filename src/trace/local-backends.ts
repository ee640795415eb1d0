import { readFile } from 'node:fs/promises'
import pg from 'pg'
import { createClient } from 'redis'

/*
 * The developer's own Postgres and Redis, which the function under trace talks to for real.
 * Where they are comes from the same variables the generated clients read, defaulting to this
 * machine; when one cannot be reached the error says which and how to start it.
 */

/** Where the local Postgres and Redis are, as the function's environment names them. */
export interface LocalBackends {
  readonly postgres: {
    readonly host: string
    readonly port: number
    readonly database: string
    readonly user: string
    readonly password: string
  }
  readonly redisUrl: string
}

/** A backend the trace needs is down; the message names it and says how to start it. */
export class BackendUnavailableError extends Error {
  override readonly name = 'BackendUnavailableError'
}

/**
 * The backends from `env` (`POSTGRES_HOST`, `POSTGRES_PORT`, `POSTGRES_DB`, `POSTGRES_USER`,
 * `POSTGRES_PASSWORD`, `REDIS_URL`), defaulting to 127.0.0.1:5432 db `test` and 127.0.0.1:6379.
 *
 * @example
 * const backends = localBackends(process.env)
 */
export function localBackends(env: NodeJS.ProcessEnv): LocalBackends {
  return {
    postgres: {
      host: env.POSTGRES_HOST ?? '127.0.0.1',
      port: Number(env.POSTGRES_PORT ?? 5432),
      database: env.POSTGRES_DB ?? 'test',
      user: env.POSTGRES_USER ?? 'postgres',
      password: env.POSTGRES_PASSWORD ?? 'postgres',
    },
    redisUrl: env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  }
}

/** The variables the generated clients read, pointing at `backends`. */
export function backendEnvironment(backends: LocalBackends): Record<string, string> {
  const { postgres } = backends
  return {
    POSTGRES_HOST: postgres.host,
    POSTGRES_PORT: String(postgres.port),
    POSTGRES_DB: postgres.database,
    POSTGRES_USER: postgres.user,
    POSTGRES_PASSWORD: postgres.password,
    REDIS_URL: backends.redisUrl,
  }
}

/**
 * Connects to both backends once and throws {@link BackendUnavailableError} for the first that
 * does not answer within a few seconds.
 *
 * @example
 * await checkBackends(localBackends(process.env))
 */
export async function checkBackends(backends: LocalBackends): Promise<void> {
  const { host, port, database } = backends.postgres
  const client = new pg.Client({ ...backends.postgres, connectionTimeoutMillis: 3000 })
  try {
    await client.connect()
  } catch (error) {
    throw new BackendUnavailableError(
      `Postgres is not reachable at ${host}:${port} (database ${database}: ${reason(error)}); ` +
        `start it (for example: sudo service postgresql start) or point POSTGRES_HOST / POSTGRES_PORT at it`,
    )
  } finally {
    await client.end().catch(() => undefined)
  }
  const redis = createClient({
    url: backends.redisUrl,
    socket: { connectTimeout: 3000, reconnectStrategy: false },
  })
  redis.on('error', () => undefined)
  try {
    await redis.connect()
    await redis.ping()
  } catch (error) {
    throw new BackendUnavailableError(
      `Redis is not reachable at ${backends.redisUrl} (${reason(error)}); ` +
        `start it (for example: redis-server --daemonize yes) or point REDIS_URL at it`,
    )
  } finally {
    if (redis.isOpen) await redis.quit().catch(() => undefined)
  }
}

/** A Postgres client and a Redis client for seeding, opened together and closed together. */
export interface BackendClients {
  query(text: string, values?: unknown[]): Promise<Record<string, unknown>[]>
  deleteKeys(...keys: string[]): Promise<void>
  close(): Promise<void>
}

/**
 * Opens the clients seeds write through, after running `schemaFile` (idempotent DDL) if given.
 *
 * @example
 * const clients = await openBackendClients(backends, 'schema.sql')
 */
export async function openBackendClients(
  backends: LocalBackends,
  schemaFile?: string,
): Promise<BackendClients> {
  const client = new pg.Client(backends.postgres)
  await client.connect()
  const redis = createClient({ url: backends.redisUrl, socket: { reconnectStrategy: false } })
  redis.on('error', () => undefined)
  await redis.connect()
  if (schemaFile) await client.query(await readFile(schemaFile, 'utf8'))
  return {
    query: async (text, values = []) => (await client.query(text, values)).rows,
    deleteKeys: async (...keys) => {
      if (keys.length > 0) await redis.del(keys)
    },
    close: async () => {
      await Promise.allSettled([client.end(), redis.quit()])
    },
  }
}

function reason(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return reason(error.errors[0])
  const code = (error as { code?: unknown }).code
  const message = error instanceof Error ? error.message : String(error)
  return typeof code === 'string' && !message.includes(code)
    ? `${code}: ${message}`
    : message || String(code)
}
