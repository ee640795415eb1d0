import path from 'node:path'
import nodePlop from 'node-plop'
import plopfile from '../../plopfile'
import { resolveConfig, type AppManifest, type ResolvedConfig } from '../manifest'
import { APP_GENERATORS, fixtureDir, outputDir, type GenerationRequest } from './app-generators'
import { addFile, type FileSet } from './file-set'
import { formatFile } from './format'
import { ownershipFile } from './ownership-file'

/**
 * The config of an app in this repository's layout (`generated/<name>`, every group, handlers
 * retrofitted from `test/fixtures/<name>`): what `xray-scaffold.config.ts` says for the lego-api.
 */
export function repositoryLayout(root: string, app: AppManifest): ResolvedConfig {
  return resolveConfig(
    {
      app,
      outDir: outputDir(app),
      groups: ['runtime', 'clients', 'infra', 'app'],
      retrofitFrom: path.relative(root, fixtureDir(root, app)),
      testsDir: 'test/functions',
    },
    root,
  )
}

/**
 * Produces every generated file of the config's app in memory, prettier-formatted: validates the
 * manifest, runs each app generator the plopfile registers, in name order, and adds the ownership
 * file. Same inputs, byte-identical output. `generateApp(root, app)` generates an app in this
 * repository's layout ({@link repositoryLayout}).
 */
export async function generateApp(root: string, app: AppManifest): Promise<FileSet>
export async function generateApp(config: ResolvedConfig): Promise<FileSet>
export async function generateApp(
  rootOrConfig: string | ResolvedConfig,
  app?: AppManifest,
): Promise<FileSet> {
  const config =
    typeof rootOrConfig === 'string' ? repositoryLayout(rootOrConfig, app!) : rootOrConfig
  const { root } = config
  // The plopfile is imported as a module (not loaded by path) so it runs under any TS loader.
  const plop = await nodePlop(undefined, { destBasePath: root, force: false })
  plopfile(plop)
  const request: GenerationRequest = { config, files: new Map() }
  const names = new Set<string>(APP_GENERATORS)
  for (const { name } of plop.getGeneratorList()) {
    if (!names.has(name)) continue
    const { failures } = await plop.getGenerator(name).runActions(request)
    if (failures.length > 0) {
      const reasons = failures.map((f) => `${f.type ?? name}: ${f.error ?? f.message ?? 'failed'}`)
      throw new Error(`generator ${name} failed: ${reasons.join('; ')}`)
    }
  }
  const owned = ownershipFile(config.outDir, request.files)
  addFile(request.files, owned.path, owned.content)
  const formatted: FileSet = new Map()
  for (const file of [...request.files.keys()].sort()) {
    formatted.set(file, await formatFile(root, file, request.files.get(file)!))
  }
  return formatted
}
