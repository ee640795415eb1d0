import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import nodePlop from 'node-plop'
import { addGeneratedFile, type FileSet } from '../generators/file-set'
import { renderTemplateGroup } from '../generators/render-templates'
import { applySync, planSync, type SyncPlan } from '../generators/sync-files'
import { templateContext } from '../generators/template-context'
import { TEMPLATE_GROUPS } from '../generators/template-groups'
import { legoApi } from '../manifest'

/** The xray-scaffold package's own folder, where `templates/` lives. */
const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

/** The entry module every retrofitted handler imports; its presence means the runtime is there. */
export const RUNTIME_ENTRY = 'index.ts'

/** Packages the runtime imports, which a repository needs installed to build it. */
const RUNTIME_PACKAGES = ['aws-xray-sdk-core', '@types/aws-lambda']

/** The runtime files for `runtimeDir` (relative to `repoRoot`), planned against the disk. */
export interface RuntimePlan {
  readonly repoRoot: string
  readonly runtimeDir: string
  readonly files: FileSet
  readonly plan: SyncPlan
  /** `npm install …` lines for runtime packages the repository's package.json lacks. */
  readonly missingPackages: readonly string[]
}

/** True when the tracing runtime is present in `runtimeDir` (absolute). */
export const hasRuntime = (runtimeDir: string) => existsSync(path.join(runtimeDir, RUNTIME_ENTRY))

/**
 * Renders the runtime template group (the generator and templates `gen` uses) for a folder of
 * another repository and plans writing it under `gen`'s ownership rules: a file there that
 * xray-scaffold did not write is a conflict, never overwritten.
 */
export async function planRuntime(repoRoot: string, runtimeDir: string): Promise<RuntimePlan> {
  const templatesDir = path.join(PACKAGE_ROOT, 'templates')
  const plop = await nodePlop(undefined, { destBasePath: repoRoot, force: false })
  const versions = packageVersions(PACKAGE_ROOT)
  const rendered = await renderTemplateGroup(
    plop,
    templatesDir,
    'runtime',
    templateContext(legoApi, versions),
  )
  const relativeDir = path.relative(repoRoot, runtimeDir).split(path.sep).join('/')
  const [templatePrefix] = TEMPLATE_GROUPS.runtime
  const files: FileSet = new Map()
  for (const { output, template, content } of rendered) {
    const inside = output.slice(templatePrefix.length)
    addGeneratedFile(files, `${relativeDir}/${inside}`, content, template)
  }
  const plan = await planSync(repoRoot, relativeDir, files)
  const present = packageVersions(repoRoot)
  const missingPackages = RUNTIME_PACKAGES.filter((name) => !present[name]).map(
    (name) => `${name}@${(versions[name] ?? 'latest').replace(/^\^/, '')}`,
  )
  return {
    repoRoot,
    runtimeDir: relativeDir,
    files,
    plan: { ...plan, remove: [] },
    missingPackages,
  }
}

/** Writes a planned runtime (atomically, each file). */
export async function writeRuntime(runtime: RuntimePlan): Promise<void> {
  await applySync(runtime.repoRoot, runtime.plan, runtime.files)
}

function packageVersions(dir: string): Record<string, string> {
  try {
    const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
      dependencies?: Record<string, string>
      devDependencies?: Record<string, string>
    }
    return { ...manifest.devDependencies, ...manifest.dependencies }
  } catch {
    return {}
  }
}
