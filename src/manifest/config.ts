import type { AppManifest, DependencyKind, DependencySpec } from './types'

/**
 * What a repository's `xray-scaffold.config.ts` exports (as its default export): the app it
 * describes and where `gen` writes it. Only `app.name` and `app.services` are required; the rest
 * has defaults suited to a user's own repository.
 *
 * @example
 * ```ts
 * // xray-scaffold.config.ts
 * import type { XrayScaffoldConfig } from 'xray-scaffold'
 *
 * export default {
 *   app: { name: 'orders-api', services: [] },
 * } satisfies XrayScaffoldConfig
 * ```
 */
export interface XrayScaffoldConfig {
  readonly app: Omit<AppManifest, 'dependencies'> & {
    /** @default {@link DEFAULT_DEPENDENCIES}, entry by entry */
    readonly dependencies?: Partial<Record<DependencyKind, DependencySpec>>
  }
  /**
   * Folder, relative to the config file, that the app's tree lives in: the runtime goes to
   * `<outDir>/src/lib/tracing`, the traced clients to `<outDir>/src/lib/{db,cache,storage,search}`,
   * the CDK app to `<outDir>/infra` (and `<outDir>/cdk.json`), handlers to `<outDir>/src/functions`.
   * @default '.' (the repository itself)
   */
  readonly outDir?: string
  /**
   * Template groups `gen` writes. `app` (a package.json and tsconfig.json of the app's own) is for
   * a standalone app folder; never list it for a repository that has its own.
   * @default ['runtime', 'clients', 'infra']
   */
  readonly groups?: readonly ('runtime' | 'clients' | 'infra' | 'app')[]
  /**
   * An untraced copy of the app (relative to the config file) whose `src/` the codemod retrofits
   * into `<outDir>/src` on every `gen`. Without it, handlers are the author's files.
   */
  readonly retrofitFrom?: string
  /** Folder, relative to the config file, where `gen handler` writes a function's test. @default 'test/functions' */
  readonly testsDir?: string
}

/** A config with every default filled in and its paths resolved. */
export interface ResolvedConfig {
  /** Absolute path of the repository (the config file's folder). */
  readonly root: string
  /** Absolute path of the config file, or undefined for a config given as a value. */
  readonly file?: string
  readonly app: AppManifest
  /** Repository-relative, `/`-separated; `.` for the repository itself. */
  readonly outDir: string
  readonly groups: readonly ('runtime' | 'clients' | 'infra' | 'app')[]
  readonly retrofitFrom?: string
  readonly testsDir: string
}

/** The name `gen` looks for, from the working directory upwards, when no `--config` is given. */
export const CONFIG_FILE_NAME = 'xray-scaffold.config.ts'

/** How each dependency is reached and named on the service map, unless the config says otherwise. */
export const DEFAULT_DEPENDENCIES: Readonly<Record<DependencyKind, DependencySpec>> = {
  postgres: {
    kind: 'postgres',
    label: 'Database Query',
    module: 'lib/db/client',
    exports: ['db', 'pool'],
    env: ['POSTGRES_HOST', 'POSTGRES_PORT', 'POSTGRES_DB', 'POSTGRES_USER', 'POSTGRES_PASSWORD'],
    serviceMapName: '<database>@<host>',
  },
  redis: {
    kind: 'redis',
    label: 'Redis',
    module: 'lib/cache/redis',
    exports: ['redis'],
    env: ['REDIS_URL'],
    serviceMapName: 'Redis',
  },
  s3: {
    kind: 's3',
    label: 'S3',
    module: 'lib/storage/s3',
    exports: ['s3'],
    env: ['S3_BUCKET', 'AWS_REGION'],
    serviceMapName: 'S3',
  },
  opensearch: {
    kind: 'opensearch',
    label: 'OpenSearch',
    module: 'lib/search/opensearch',
    exports: ['search'],
    env: ['OPENSEARCH_ENDPOINT'],
    serviceMapName: 'OpenSearch',
  },
}
