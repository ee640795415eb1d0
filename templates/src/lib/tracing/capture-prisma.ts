import { openRemoteSubsegment, recordFault, runWithSegment } from './sdk'

/** What the capture reads of the operation Prisma hands a `$allOperations` extension. */
interface Operation {
  model?: string
  operation: string
  args: unknown
  query: (args: unknown) => Promise<unknown>
}

/** Where a Prisma client's database is, when it can be known. */
interface Datasource {
  host: string
  port: string
  database: string
  user: string
  provider: string
}

/** A Prisma driver adapter's settings (`new PrismaPg({ connectionString })` or a pg `Pool`). */
interface AdapterLike {
  provider?: string
  config?: unknown
  externalPool?: { options?: unknown }
}

interface PrismaLike {
  $extends(extension: unknown): unknown
  _engineConfig?: { adapter?: AdapterLike; activeProvider?: string }
}

/** Clients returned by `capturePrisma`: capturing one again returns it as it is. */
const captured = new WeakSet<object>()

const DATABASE_TYPES: Record<string, string> = {
  postgres: 'PostgreSQL',
  postgresql: 'PostgreSQL',
  cockroachdb: 'CockroachDB',
  mysql: 'MySQL',
  sqlite: 'SQLite',
  sqlserver: 'SQL Server',
  mongodb: 'MongoDB',
}

/**
 * Traces every operation of a Prisma client (model queries such as `user.findMany` and raw
 * queries) as a remote subsegment named `<database>@<host>` (the database node on the service
 * map, as `capturePostgres` names it) or `name`, with the `sql` fields X-Ray defines: `url`
 * (`postgresql://host:port/database`, never the password), `user` and `database_type`, and
 * metadata `model` and `operation`. Arguments and results are never recorded. A failed operation
 * is a fault with its exception.
 *
 * It uses a Prisma Client extension (`$extends({ query: { $allOperations } })`), so it returns a
 * new client: use the one it returns. The database is read from the driver adapter's settings
 * (`@prisma/adapter-pg` with a connection string, a config or a pool), else from
 * `DATABASE_URL`; when neither tells, pass `name`. The statements run inside the subsegment:
 * with `@prisma/adapter-pg` and `capturePostgres(pg)`, each SQL statement is a child of its
 * operation.
 *
 * @example
 * ```ts
 * const adapter = new PrismaPg({ connectionString: process.env.DATABASE_URL })
 * export const prisma = capturePrisma(new PrismaClient({ adapter }))
 * ```
 */
export function capturePrisma<C>(client: C, name?: string): C {
  const prisma = client as unknown as PrismaLike
  if (typeof prisma?.$extends !== 'function' || captured.has(prisma)) return client
  const datasource = datasourceOf(prisma)
  const nodeName = name ?? (datasource ? `${datasource.database}@${datasource.host}` : 'Prisma')
  const extended = prisma.$extends({
    name: 'xray-tracing',
    query: {
      async $allOperations({ model, operation, args, query }: Operation): Promise<unknown> {
        const subsegment = openRemoteSubsegment(nodeName)
        if (!subsegment) return query(args)
        try {
          if (datasource) subsegment.addSqlData(sqlData(datasource))
          if (model !== undefined) subsegment.addMetadata('model', model)
          subsegment.addMetadata('operation', operation)
          // Awaited inside the subsegment: Prisma's promise only runs its query when `then` is
          // called, and the statements it sends (traced by capturePostgres) nest where it runs.
          return await runWithSegment(subsegment, async () => await query(args))
        } catch (error) {
          recordFault(subsegment, withheldArguments(error))
          throw error
        } finally {
          subsegment.close()
        }
      },
    },
  }) as object
  captured.add(extended)
  return extended as C
}

/**
 * The error as it may be recorded. Prisma's messages quote the failing call with its arguments
 * (`where: { email: "…" }`): user data. The recorded one keeps the error's name, its code
 * (`P2002`) and the message's last line, where Prisma states the reason, and the stack.
 */
function withheldArguments(error: unknown): unknown {
  if (!(error instanceof Error)) return error
  const reason = error.message.trim().split('\n').pop()?.trim() ?? ''
  const code = (error as { code?: unknown }).code
  const recorded = new Error(typeof code === 'string' ? `${code}: ${reason}` : reason)
  recorded.name = error.name
  const frames = (error.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line))
  recorded.stack = [`${recorded.name}: ${recorded.message}`, ...frames].join('\n')
  return recorded
}

function sqlData(datasource: Datasource): Record<string, string> {
  const { provider, host, port, database, user } = datasource
  const scheme = provider === 'postgres' ? 'postgresql' : provider
  return {
    url: `${scheme}://${host}${port ? `:${port}` : ''}/${database}`,
    user,
    database_type: DATABASE_TYPES[provider] ?? provider,
  }
}

/** The database of the client's driver adapter, else of `DATABASE_URL`. */
function datasourceOf(prisma: PrismaLike): Datasource | undefined {
  let engine: PrismaLike['_engineConfig']
  try {
    // Prisma keeps its settings on the client; an internal field, read defensively.
    engine = prisma._engineConfig
  } catch {
    engine = undefined
  }
  const adapter = engine?.adapter
  const provider = adapter?.provider ?? engine?.activeProvider ?? 'postgresql'
  const settings = (adapter?.externalPool?.options ?? adapter?.config) as
    | {
        connectionString?: unknown
        host?: unknown
        port?: unknown
        database?: unknown
        user?: unknown
      }
    | string
    | undefined
  if (typeof settings === 'string') return fromUrl(settings, provider)
  if (typeof settings?.connectionString === 'string') {
    return fromUrl(settings.connectionString, provider)
  }
  if (typeof settings?.host === 'string' && typeof settings.database === 'string') {
    return {
      host: settings.host,
      port: settings.port === undefined ? '' : String(settings.port),
      database: settings.database,
      user: typeof settings.user === 'string' ? settings.user : '',
      provider,
    }
  }
  return process.env.DATABASE_URL ? fromUrl(process.env.DATABASE_URL, provider) : undefined
}

function fromUrl(text: string, provider: string): Datasource | undefined {
  try {
    const url = new URL(text)
    const database = decodeURIComponent(url.pathname.replace(/^\//, ''))
    if (!url.hostname || !database) return undefined
    return {
      host: url.hostname,
      port: url.port,
      database,
      user: decodeURIComponent(url.username),
      provider,
    }
  } catch {
    return undefined
  }
}
