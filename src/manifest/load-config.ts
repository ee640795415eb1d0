import { existsSync } from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { tsImport } from 'tsx/esm/api'
import {
  CONFIG_FILE_NAME,
  DEFAULT_DEPENDENCIES,
  type ResolvedConfig,
  type XrayScaffoldConfig,
} from './config'
import type { AppManifest, DependencyKind } from './types'
import { ManifestError, validateManifest } from './validate'

/** The groups a user's repository gets: never `app`, which would write its package.json. */
const DEFAULT_GROUPS = ['runtime', 'clients', 'infra'] as const
const KNOWN_GROUPS: readonly string[] = ['runtime', 'clients', 'infra', 'app']

/**
 * The config file to use: `explicit` (resolved from `cwd`) when given, otherwise the first
 * `xray-scaffold.config.ts` from `cwd` upwards. Throws a {@link ManifestError} naming the fix
 * when there is none.
 */
export function findConfigFile(cwd: string, explicit?: string): string {
  if (explicit !== undefined) {
    const file = path.resolve(cwd, explicit)
    if (!existsSync(file)) {
      throw new ManifestError(
        `config ${JSON.stringify(explicit)} does not exist; give the path of an xray-scaffold.config.ts`,
      )
    }
    return file
  }
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    const file = path.join(dir, CONFIG_FILE_NAME)
    if (existsSync(file)) return file
    if (path.dirname(dir) === dir) break
  }
  throw new ManifestError(
    `no ${CONFIG_FILE_NAME} in ${cwd} or above; create one (see README, "Create a traced function") or pass --config <file>`,
  )
}

/**
 * Loads a repository's config (a TypeScript module whose default export is an
 * {@link XrayScaffoldConfig}) through tsx, so it needs no build step, and resolves it: defaults
 * filled in, paths made repository-relative, the app validated as a manifest is.
 *
 * @example
 * ```ts
 * const config = await loadConfig(findConfigFile(process.cwd()))
 * config.outDir // 'generated/lego-api' here, '.' in a user's repository
 * ```
 */
export async function loadConfig(file: string): Promise<ResolvedConfig> {
  const loaded = (await tsImport(pathToFileURL(file).href, import.meta.url)) as {
    default?: unknown
  }
  // tsx wraps the default export of a module it compiled to CommonJS in a second `default`.
  let value = loaded.default
  if (value && typeof value === 'object' && 'default' in value && !('app' in value)) {
    value = (value as { default: unknown }).default
  }
  return resolveConfig(value, path.dirname(file), file)
}

/** Fills in the defaults of a config value and validates it; see {@link loadConfig}. */
export function resolveConfig(value: unknown, root: string, file?: string): ResolvedConfig {
  const where = file ? path.basename(file) : 'config'
  const fail = (problem: string): never => {
    throw new ManifestError(`${where}: ${problem}`)
  }
  if (!value || typeof value !== 'object')
    fail('has no default export; export default { app: { name, services } }')
  const config = value as XrayScaffoldConfig
  if (!config.app || typeof config.app !== 'object')
    fail('has no "app"; set app: { name, services }')
  if (!Array.isArray(config.app.services)) fail('app.services is not a list; set it to [] to start')
  const folder = (name: string, given: string | undefined, fallback: string): string => {
    const relative = path.posix
      .normalize((given ?? fallback).split(path.sep).join('/'))
      .replace(/\/$/, '')
    if (path.posix.isAbsolute(relative) || relative === '..' || relative.startsWith('../')) {
      fail(`${name} ${JSON.stringify(given)} leaves the repository; give a folder inside it`)
    }
    return relative
  }
  const groups = config.groups ?? DEFAULT_GROUPS
  for (const group of groups) {
    if (!KNOWN_GROUPS.includes(group))
      fail(`groups has ${JSON.stringify(group)}; use some of ${KNOWN_GROUPS.join(', ')}`)
  }
  const dependencies = { ...DEFAULT_DEPENDENCIES, ...config.app.dependencies } as Record<
    DependencyKind,
    AppManifest['dependencies'][DependencyKind]
  >
  const app: AppManifest = { ...config.app, dependencies }
  validateManifest(app)
  return {
    root,
    file,
    app,
    outDir: folder('outDir', config.outDir, '.'),
    groups,
    retrofitFrom:
      config.retrofitFrom === undefined
        ? undefined
        : folder('retrofitFrom', config.retrofitFrom, '.'),
    testsDir: folder('testsDir', config.testsDir, 'test/functions'),
  }
}
