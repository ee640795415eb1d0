import { existsSync } from 'node:fs'
import path from 'node:path'
import { Project } from 'ts-morph'
import type { AppManifest } from '../manifest'
import { retrofitHandler } from './retrofit-handler'

/** One file of the retrofitted app, relative to the app folder (`src/functions/gallery.ts`). */
export interface RetrofittedFile {
  readonly path: string
  readonly text: string
  readonly subsegments: readonly string[]
  /** False for a file kept as it is (not a handler). */
  readonly retrofitted: boolean
}

/** Where the tracing runtime lives inside an app's `src/`. */
export const RUNTIME_MODULE = 'lib/tracing'

/**
 * Retrofits an existing (untraced) app: each service's handler (`src/functions/<id>.ts`) is
 * rewritten by {@link retrofitHandler}; the dependency client modules are left out, since the
 * traced clients generated from templates replace them; every other source file is kept as is.
 */
export function retrofitApp(appDir: string, app: AppManifest): RetrofittedFile[] {
  const srcDir = path.join(appDir, 'src')
  // The app's own compiler options (strictness decides which reads are nullable), its files only.
  const tsConfigFilePath = path.join(appDir, 'tsconfig.json')
  const project = existsSync(tsConfigFilePath)
    ? new Project({ tsConfigFilePath, skipAddingFilesFromTsConfig: true })
    : new Project({ compilerOptions: { strict: true } })
  project.addSourceFilesAtPaths(path.join(srcDir, '**/*.ts'))
  const dependencies = Object.values(app.dependencies)
  const clientModules = new Set(dependencies.map((d) => `src/${d.module}.ts`))

  const files: RetrofittedFile[] = []
  for (const service of app.services) {
    const handlerPath = path.join(srcDir, 'functions', `${service.id}.ts`)
    if (!project.getSourceFile(handlerPath))
      throw new Error(
        `${handlerPath} is missing: every service in the manifest needs its handler file`,
      )
  }
  for (const file of project
    .getSourceFiles()
    .sort((a, b) => a.getFilePath().localeCompare(b.getFilePath()))) {
    const relative = path.relative(appDir, file.getFilePath()).split(path.sep).join('/')
    if (clientModules.has(relative)) continue
    const service = app.services.find((s) => relative === `src/functions/${s.id}.ts`)
    if (!service) {
      files.push({ path: relative, text: file.getFullText(), subsegments: [], retrofitted: false })
      continue
    }
    const result = retrofitHandler(file, {
      project,
      srcDir,
      service,
      dependencies,
      runtimeModule: RUNTIME_MODULE,
    })
    files.push({ path: relative, ...result, retrofitted: true })
  }
  return files
}
