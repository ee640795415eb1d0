import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import type { NodePlopAPI } from 'node-plop'
import { retrofitApp } from '../codemods/retrofit-app'
import { CONFIG_FILE_NAME, loadConfig, type AppManifest, type ResolvedConfig } from '../manifest'
import { addGeneratedFile, type FileSet } from './file-set'
import { formatFile } from './format'
import { applySync, planSync } from './sync-files'
import { renderTemplateGroup } from './render-templates'
import { templateContext } from './template-context'
import { TEMPLATE_GROUPS, type TemplateGroup } from './template-groups'

/** What `gen` hands every generator: the repository's config and the file set to fill. */
export interface GenerationRequest {
  readonly config: ResolvedConfig
  readonly files: FileSet
}

/** The untraced app the codemod retrofits, per app name (this repository's layout). */
export const fixtureDir = (root: string, app: AppManifest) =>
  path.join(root, 'test', 'fixtures', app.name)

/** The folder an app is generated into in this repository's layout. */
export const outputDir = (app: AppManifest) => `generated/${app.name}`

/** Names of the generators `gen` runs: one per template group, then the codemod. */
export const APP_GENERATORS = ['app', 'clients', 'functions', 'infra', 'runtime'] as const

/** A repository-relative path inside the config's output folder. */
export const inOutDir = (config: ResolvedConfig, file: string) =>
  path.posix.join(config.outDir, file)

/**
 * The services whose handler the codemod retrofits: those of the config's untraced copy that has
 * one. The others' handlers were written by `gen handler` and belong to their authors.
 */
export function retrofittedServices(config: ResolvedConfig): AppManifest['services'] {
  const from = config.retrofitFrom
  if (from === undefined) return []
  return config.app.services.filter((service) =>
    existsSync(path.join(config.root, from, 'src', 'functions', `${service.id}.ts`)),
  )
}

/**
 * Files inside the output folder that belong to the author, never written, replaced or removed by
 * `gen`: handlers scaffolded by `gen handler`, and, in a repository whose handlers are not
 * retrofitted, the Drizzle schema the traced Postgres client imports.
 */
export function authoredFiles(config: ResolvedConfig): Set<string> {
  const retrofitted = new Set(retrofittedServices(config).map((service) => service.id))
  const files = config.app.services
    .filter((service) => !retrofitted.has(service.id))
    .map((service) => inOutDir(config, `src/functions/${service.id}.ts`))
  if (config.retrofitFrom === undefined) files.push(inOutDir(config, 'src/lib/db/schema.ts'))
  return new Set(files)
}

const GROUP_DESCRIPTIONS: Record<TemplateGroup, string> = {
  runtime: 'the tracing runtime (src/lib/tracing)',
  clients: 'the traced clients of Postgres, Redis, S3 and OpenSearch (src/lib)',
  infra: 'the CDK app: traced functions, REST API, sampling rule, groups, dashboard (infra/)',
  app: "the app's package.json and tsconfig.json",
}

/**
 * Registers one Plop generator per template group (runtime, clients, infra, app) plus
 * `functions`, the codemod that retrofits the app's existing handlers. Each writes into the
 * request's file set; the CLI decides whether that set is written or compared with the disk.
 */
export function registerAppGenerators(plop: NodePlopAPI, templatesDir: string): void {
  plop.setActionType('render-templates', async (data, config) => {
    const request = await requestOf(data, templatesDir)
    const { files } = request
    const group = (config as unknown as { group: TemplateGroup }).group
    if (!request.config.groups.includes(group)) return `${group}: not in the config's groups`
    const context = templateContext(request.config.app, packageVersions(path.dirname(templatesDir)))
    const rendered = await renderTemplateGroup(plop, templatesDir, group, context)
    for (const { output, template, content } of rendered)
      addGeneratedFile(files, inOutDir(request.config, output), content, template)
    if (files !== (data as Partial<GenerationRequest>).files) return writeStandalone(request)
    return `${group}: ${rendered.length} files`
  })
  plop.setActionType('retrofit-functions', async (data) => {
    const request = await requestOf(data, templatesDir)
    const { config, files } = request
    if (config.retrofitFrom === undefined) return 'functions: no retrofitFrom in the config'
    const fixture = path.join(config.root, config.retrofitFrom)
    const retrofitted = retrofitApp(fixture, {
      ...config.app,
      services: retrofittedServices(config),
    })
    for (const file of retrofitted) {
      const input = path.posix.join(config.retrofitFrom, file.path)
      const source = file.retrofitted ? `${input} (retrofitted by the codemod)` : input
      addGeneratedFile(files, inOutDir(config, file.path), file.text, source)
    }
    if (files !== (data as Partial<GenerationRequest>).files) return writeStandalone(request)
    return `functions: ${retrofitted.length} files`
  })

  for (const group of Object.keys(TEMPLATE_GROUPS) as TemplateGroup[]) {
    plop.setGenerator(group, {
      description: GROUP_DESCRIPTIONS[group],
      prompts: [],
      actions: [{ type: 'render-templates', group } as never],
    })
  }
  plop.setGenerator('functions', {
    description: "the app's existing handlers, retrofitted with tracing by the codemod",
    prompts: [],
    actions: [{ type: 'retrofit-functions' } as never],
  })
}

/**
 * The request `gen` passes, or, when the generator runs from the Plop CLI (`npx plop runtime`),
 * one for the config of this package's repository with a file set of its own.
 */
async function requestOf(data: unknown, templatesDir: string): Promise<GenerationRequest> {
  const request = data as Partial<GenerationRequest>
  if (request.config && request.files) return request as GenerationRequest
  const config = await loadConfig(path.join(path.dirname(templatesDir), CONFIG_FILE_NAME))
  return { config, files: new Map() }
}

/**
 * From the Plop CLI a generator writes its own files, formatted, under the same ownership rules
 * as `gen` (a file without the marker stops it); removing stale files is left to `gen`, which
 * sees the whole app.
 */
async function writeStandalone({ config, files }: GenerationRequest): Promise<string> {
  const formatted: FileSet = new Map()
  for (const [file, content] of files) {
    formatted.set(file, await formatFile(config.root, file, content))
  }
  const plan = await planSync(config.root, config.outDir, formatted, authoredFiles(config))
  await applySync(config.root, { ...plan, remove: [] }, formatted)
  return `${plan.write.length} written, ${plan.unchanged.length} unchanged in ${config.outDir}`
}

function packageVersions(root: string): Record<string, string> {
  const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>
    devDependencies?: Record<string, string>
  }
  return { ...manifest.devDependencies, ...manifest.dependencies }
}
