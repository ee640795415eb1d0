/**
 * The clients the codemod recognises, by the module a file imports them from: module specifier →
 * client kind, which of its exports construct a client, which calls on a client reach the
 * dependency, and the runtime capture that makes those calls remote subsegments. Adding a client
 * library is adding an entry here (and its capture to the runtime).
 */

/** What a recognised client talks to; decides the subsegment's label and description. */
export type ClientKind =
  | 'postgres'
  | 'drizzle'
  | 'knex'
  | 'prisma'
  | 'redis'
  | 'ioredis'
  | 'aws'
  | 'aws-v2'
  | 'opensearch'
  | 'elasticsearch'
  | 'fetch'
  | 'axios'

/** How the runtime's capture is applied where a client is constructed. */
export interface CaptureSpec {
  /** Exported function of the runtime: `captureRedis`. */
  readonly name: string
  /** Its module inside the runtime folder: `capture-redis`. */
  readonly module: string
  /**
   * `wrap`: the construction becomes `captureRedis(createClient(…))`;
   * `module`: one statement `capturePostgres(pg)` patches the imported module.
   */
  readonly style: 'wrap' | 'module'
}

/** One client library, as a file's imports reveal it. */
export interface ClientModule {
  readonly kind: ClientKind
  /** The module specifiers it matches: exact names, or a prefix ending in `*`. */
  readonly modules: readonly string[]
  /**
   * True when `path` (the export a construction reaches: `['Pool']` for `new pg.Pool()`,
   * `[]` for the default export, `['DynamoDBDocumentClient', 'from']`) builds a client.
   */
  readonly constructs: (path: readonly string[], isNew: boolean) => boolean
  /** True when the module's default export is itself a client (`axios.get(url)`). */
  readonly moduleIsClient?: boolean
  /**
   * True when a call chain on a client (its method names, root first) reaches the dependency.
   * Everything else (`redis.on('error', …)`, `pool.end()`) is left as it is.
   */
  readonly isDependencyCall: (methods: readonly string[]) => boolean
  readonly capture?: CaptureSpec
}

const last = (path: readonly string[]) => path.at(-1) ?? ''
const NOT_COMMANDS = new Set([
  'on',
  'once',
  'off',
  'addListener',
  'removeListener',
  'removeAllListeners',
  'emit',
  'connect',
  'disconnect',
  'quit',
  'end',
  'duplicate',
  'multi',
  'pipeline',
  'defineCommand',
  'isOpen',
  'isReady',
  'use',
  '$on',
  '$connect',
  '$disconnect',
  '$extends',
  '$use',
  'close',
  'destroy',
])
const commandCall = (methods: readonly string[]) =>
  methods.length > 0 && !methods.some((m) => NOT_COMMANDS.has(m))

/** The recognised client libraries, first match wins. */
export const CLIENT_MODULES: readonly ClientModule[] = [
  {
    kind: 'postgres',
    modules: ['pg'],
    constructs: (path, isNew) => isNew && ['Pool', 'Client'].includes(last(path)),
    isDependencyCall: (methods) => methods[0] === 'query',
    capture: { name: 'capturePostgres', module: 'capture-postgres', style: 'module' },
  },
  {
    kind: 'drizzle',
    modules: ['drizzle-orm/node-postgres', 'drizzle-orm/postgres-js', 'drizzle-orm/*'],
    constructs: (path) => last(path) === 'drizzle',
    isDependencyCall: commandCall,
  },
  {
    kind: 'knex',
    modules: ['knex'],
    constructs: (path) => path.length === 0 || last(path) === 'knex',
    isDependencyCall: (methods) => methods.length > 0 && !NOT_COMMANDS.has(methods[0]!),
  },
  {
    kind: 'prisma',
    modules: ['@prisma/client'],
    constructs: (path, isNew) => isNew && last(path) === 'PrismaClient',
    isDependencyCall: (methods) =>
      commandCall(methods) && !(methods.length === 1 && methods[0] === '$transaction'),
    capture: { name: 'capturePrisma', module: 'capture-prisma', style: 'wrap' },
  },
  {
    kind: 'redis',
    modules: ['redis', '@redis/client'],
    constructs: (path) => ['createClient', 'createCluster'].includes(last(path)),
    isDependencyCall: commandCall,
    capture: { name: 'captureRedis', module: 'capture-redis', style: 'wrap' },
  },
  {
    kind: 'ioredis',
    modules: ['ioredis'],
    constructs: (path, isNew) =>
      isNew && (path.length === 0 || ['Redis', 'Cluster', 'default'].includes(last(path))),
    isDependencyCall: commandCall,
    capture: { name: 'captureIoredis', module: 'capture-ioredis', style: 'wrap' },
  },
  {
    kind: 'aws',
    modules: ['@aws-sdk/client-*', '@aws-sdk/lib-dynamodb'],
    constructs: (path, isNew) =>
      (isNew && /Client$/.test(last(path))) ||
      (path.length === 2 && /Client$/.test(path[0]!) && path[1] === 'from'),
    isDependencyCall: (methods) => methods.length === 1 && methods[0] === 'send',
    capture: { name: 'captureAWSv3Client', module: 'aws-client', style: 'wrap' },
  },
  {
    kind: 'aws-v2',
    modules: ['aws-sdk', 'aws-sdk/clients/*'],
    constructs: (path, isNew) => isNew && path.length > 0 && /^[A-Z]/.test(path[0]!),
    isDependencyCall: (methods) => methods.length === 2 && methods[1] === 'promise',
    capture: { name: 'captureAWSv2Client', module: 'capture-aws-v2', style: 'wrap' },
  },
  {
    kind: 'opensearch',
    modules: ['@opensearch-project/opensearch'],
    constructs: (path, isNew) => isNew && last(path) === 'Client',
    isDependencyCall: commandCall,
    capture: { name: 'captureOpenSearch', module: 'capture-opensearch', style: 'wrap' },
  },
  {
    kind: 'elasticsearch',
    modules: ['@elastic/elasticsearch'],
    constructs: (path, isNew) => isNew && last(path) === 'Client',
    isDependencyCall: commandCall,
    capture: { name: 'captureElasticsearch', module: 'capture-elasticsearch', style: 'wrap' },
  },
  {
    kind: 'axios',
    modules: ['axios'],
    constructs: (path) => last(path) === 'create',
    moduleIsClient: true,
    isDependencyCall: (methods) =>
      methods.length === 1 &&
      ['', 'request', 'get', 'delete', 'head', 'options', 'post', 'put', 'patch'].includes(
        methods[0]!,
      ),
    capture: { name: 'captureAxios', module: 'capture-axios', style: 'wrap' },
  },
]

/** The global `fetch`: no import, one traced function per file. */
export const FETCH_CAPTURE: CaptureSpec = {
  name: 'captureFetch',
  module: 'capture-fetch',
  style: 'wrap',
}

/** The local name the codemod gives the traced `fetch` of a file. */
export const TRACED_FETCH = 'tracedFetch'

/** The entry for a module specifier, or undefined when it is no client library. */
export function clientModule(specifier: string): ClientModule | undefined {
  return CLIENT_MODULES.find((entry) =>
    entry.modules.some((pattern) =>
      pattern.endsWith('*') ? specifier.startsWith(pattern.slice(0, -1)) : specifier === pattern,
    ),
  )
}

/** Human label of a kind in subsegment names: `Database Query - SELECT orders`. */
export function kindLabel(kind: ClientKind, awsService?: string): string {
  switch (kind) {
    case 'postgres':
    case 'drizzle':
    case 'knex':
    case 'prisma':
      return 'Database Query'
    case 'redis':
    case 'ioredis':
      return 'Redis'
    case 'aws':
    case 'aws-v2':
      return awsService ?? 'AWS'
    case 'opensearch':
      return 'OpenSearch'
    case 'elasticsearch':
      return 'Elasticsearch'
    case 'fetch':
    case 'axios':
      return 'HTTP'
  }
}

/** Modules whose import means the file is traced by other means already. */
export const HAND_TRACING_MODULES: Readonly<Record<string, string>> = {
  'aws-xray-sdk-core': 'traced by hand with aws-xray-sdk-core',
  'aws-xray-sdk': 'traced by hand with aws-xray-sdk',
  '@aws-lambda-powertools/tracer': 'traced with Powertools Tracer',
}
