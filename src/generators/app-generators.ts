import { readFileSync } from 'node:fs'
import path from 'node:path'
import type { NodePlopAPI } from 'node-plop'
import { retrofitApp } from '../codemods/retrofit-app'
import { legoApi, validateManifest, type AppManifest } from '../manifest'
import { addGeneratedFile, type FileSet } from './file-set'
import { formatFile } from './format'
import { applySync, planSync } from './sync-files'
import { renderTemplateGroup } from './render-templates'
import { templateContext } from './template-context'
import { TEMPLATE_GROUPS, type TemplateGroup } from './template-groups'

/** What `gen` hands every generator: the app to generate and the file set to fill. */
export interface GenerationRequest {
  readonly root: string
  readonly app: AppManifest
  readonly files: FileSet
}

/** The untraced app the codemod retrofits, per app name. */
export const fixtureDir = (root: string, app: AppManifest) =>
  path.join(root, 'test', 'fixtures', app.name)

export const outputDir = (app: AppManifest) => `generated/${app.name}`

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
    const { root, app, files } = requestOf(data, templatesDir)
    const group = (config as unknown as { group: TemplateGroup }).group
    const context = templateContext(app, packageVersions(root))
    const rendered = await renderTemplateGroup(plop, templatesDir, group, context)
    for (const { output, template, content } of rendered)
      addGeneratedFile(files, `${outputDir(app)}/${output}`, content, template)
    if (files !== (data as Partial<GenerationRequest>).files)
      return writeStandalone(root, app, files)
    return `${group}: ${rendered.length} files`
  })
  plop.setActionType('retrofit-functions', async (data) => {
    const { root, app, files } = requestOf(data, templatesDir)
    const fixture = fixtureDir(root, app)
    const retrofitted = retrofitApp(fixture, app)
    for (const file of retrofitted) {
      const input = path.relative(root, path.join(fixture, file.path)).split(path.sep).join('/')
      const source = file.retrofitted ? `${input} (retrofitted by the codemod)` : input
      addGeneratedFile(files, `${outputDir(app)}/${file.path}`, file.text, source)
    }
    if (files !== (data as Partial<GenerationRequest>).files)
      return writeStandalone(root, app, files)
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
 * one for the lego-api of this package with a file set of its own.
 */
function requestOf(data: unknown, templatesDir: string): GenerationRequest {
  const request = data as Partial<GenerationRequest>
  if (request.root && request.app && request.files) return request as GenerationRequest
  return { root: path.dirname(templatesDir), app: validateManifest(legoApi), files: new Map() }
}

/**
 * From the Plop CLI a generator writes its own files, formatted, under the same ownership rules
 * as `gen` (a file without the marker stops it); removing stale files is left to `gen`, which
 * sees the whole app.
 */
async function writeStandalone(root: string, app: AppManifest, files: FileSet): Promise<string> {
  const formatted: FileSet = new Map()
  for (const [file, content] of files) formatted.set(file, await formatFile(root, file, content))
  const plan = await planSync(root, outputDir(app), formatted)
  await applySync(root, { ...plan, remove: [] }, formatted)
  return `${plan.write.length} written, ${plan.unchanged.length} unchanged in ${outputDir(app)}`
}

function packageVersions(root: string): Record<string, string> {
  const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>
    devDependencies?: Record<string, string>
  }
  return { ...manifest.devDependencies, ...manifest.dependencies }
}
