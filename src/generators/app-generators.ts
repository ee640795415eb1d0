import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import type { NodePlopAPI } from 'node-plop'
import { retrofitApp } from '../codemods/retrofit-app'
import type { AppManifest } from '../manifest'
import { addFile, type FileSet } from './file-set'
import { renderTemplateGroup } from './render-templates'
import { templateContext } from './template-context'

/** What `npm run gen` hands every generator: the app to generate and the file set to fill. */
export interface GenerationRequest {
  readonly root: string
  readonly app: AppManifest
  readonly files: FileSet
}

/** Template folders that are scaffolds for one new file, not part of the regenerated app. */
const SCAFFOLD_GROUPS = new Set(['handler'])

/** The untraced app the codemod retrofits, per app name. */
export const fixtureDir = (root: string, app: AppManifest) =>
  path.join(root, 'test', 'fixtures', app.name)

export const outputDir = (app: AppManifest) => `generated/${app.name}`

/**
 * Registers one Plop generator per template folder (runtime, client, infra, app) plus `functions`,
 * the codemod that retrofits the app's existing handlers. Each writes into the request's file set;
 * the CLI decides whether that set is written or compared with the disk.
 */
export function registerAppGenerators(plop: NodePlopAPI, templatesDir: string): void {
  plop.setActionType('render-templates', async (data, config) => {
    const { root, app, files } = data as GenerationRequest
    const group = (config as unknown as { group: string }).group
    const context = templateContext(app, packageVersions(root))
    const rendered = await renderTemplateGroup(plop, templatesDir, group, context)
    for (const [file, content] of rendered) addFile(files, `${outputDir(app)}/${file}`, content)
    return `${group}: ${rendered.size} files`
  })
  plop.setActionType('retrofit-functions', async (data) => {
    const { root, app, files } = data as GenerationRequest
    const retrofitted = retrofitApp(fixtureDir(root, app), app)
    for (const file of retrofitted) addFile(files, `${outputDir(app)}/${file.path}`, file.text)
    return `functions: ${retrofitted.length} files`
  })

  const groups = readdirSync(templatesDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !SCAFFOLD_GROUPS.has(entry.name))
    .map((entry) => entry.name)
    .sort()
  for (const group of groups) {
    plop.setGenerator(group, {
      description: `${group} files of the traced app, from templates/${group}`,
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

function packageVersions(root: string): Record<string, string> {
  const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>
    devDependencies?: Record<string, string>
  }
  return { ...manifest.devDependencies, ...manifest.dependencies }
}
