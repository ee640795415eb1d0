import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { createTwoFilesPatch } from 'diff'
import { ManifestError, type ResolvedConfig, type RouteSpec } from '../manifest'
import { addService } from './add-service'
import { missingAppScaffolds } from './app-scaffolds'
import { authoredFiles, retrofittedServices } from './app-generators'
import { editConfigSource } from './config-source'
import { formatFile } from './format'
import { generateApp } from './generate-app'
import { parseHandlerOptions, type HandlerOptions } from './handler-input'
import { handlerPaths, renderHandler } from './render-handler'
import { writeAllOrNothing, type FileChange } from './staged-write'
import { planSync } from './sync-files'

/** What a `gen handler` run did, for the CLI to print. */
export interface HandlerRun {
  readonly service: string
  /** True for a new function, false for routes added to an existing one. */
  readonly created: boolean
  readonly routes: readonly RouteSpec[]
  /** Files that did not exist, repository-relative. */
  readonly createdFiles: readonly string[]
  /** Files that existed and changed, with the unified diff of each. */
  readonly changedFiles: readonly { readonly file: string; readonly diff: string }[]
  /** What the author does next, one line each. */
  readonly notes: readonly string[]
  /** The command that runs the function's test; undefined when no test was written. */
  readonly next?: string
}

/**
 * `gen handler`: adds a traced function (or routes of an existing one) to the config's app. It
 * writes the handler scaffold and its test, the config entry, and everything `gen` regenerates
 * from the config (the infra registration: function, log group, permissions, route, dashboard),
 * all prettier-formatted, as one change ({@link writeAllOrNothing}). Bad input throws a one-line
 * {@link ManifestError} before anything is written; so does an existing handler without `force`.
 */
export async function genHandler(
  config: ResolvedConfig,
  options: HandlerOptions,
): Promise<HandlerRun> {
  const input = parseHandlerOptions(options)
  const change = addService(config.app, input)
  const { service } = change
  const paths = handlerPaths(config, service.id)
  const next: ResolvedConfig = { ...config, app: change.app }
  const retrofitted = retrofittedServices(config).some((s) => s.id === service.id)
  const handlerOnDisk = await readText(path.join(config.root, paths.handler))

  const notes: string[] = []
  let writeScaffold = change.created || input.force
  if (retrofitted && input.force) {
    throw new ManifestError(
      `--force: the handler of ${service.id} is retrofitted by gen from ${config.retrofitFrom}; edit it there instead`,
    )
  }
  if (change.created && handlerOnDisk !== undefined && !input.force) {
    throw new ManifestError(
      `${paths.handler} already exists; rerun with --force to replace it (the diff shows what it replaced), or choose another --service`,
    )
  }
  if (!change.created && !input.force) {
    const nothingNew =
      change.addedRoutes.length === 0 &&
      change.addedDependencies.length === 0 &&
      Object.keys(change.addedAnnotations).length === 0
    if (nothingNew) {
      throw new ManifestError(
        `${paths.handler} already exists and serves these routes; rerun with --force to replace it (the diff shows what it replaced)`,
      )
    }
    writeScaffold = false
    notes.push(
      `${paths.handler} is yours and was left as it is: handle ${change.addedRoutes.map((r) => `${r.method} ${r.path}`).join(', ') || 'the new dependencies'} there (or rerun with --force to regenerate it for all its routes)`,
    )
  }

  const changes: FileChange[] = []
  if (writeScaffold) {
    const rendered = await renderHandler(next, service, input.name)
    changes.push({
      file: paths.handler,
      content: await formatFile(config.root, paths.handler, rendered.handler),
    })
    changes.push({
      file: paths.test,
      content: await formatFile(config.root, paths.test, rendered.test),
    })
  }
  if (config.file) {
    const edited = editConfigSource(config.file, change)
    const file = path.relative(config.root, edited.file).split(path.sep).join('/')
    changes.push({ file, content: await formatFile(config.root, file, edited.after) })
  }
  for (const [file, content] of await missingAppScaffolds(next)) changes.push({ file, content })
  const files = await generateApp(next)
  const plan = await planSync(config.root, config.outDir, files, authoredFiles(next))
  if (plan.conflicts.length > 0) throw new Error(plan.conflicts[0])
  for (const file of plan.write) changes.push({ file, content: files.get(file) })
  for (const file of plan.remove) changes.push({ file, content: undefined })

  const createdFiles: string[] = []
  const changedFiles: { file: string; diff: string }[] = []
  const effective: FileChange[] = []
  for (const item of changes) {
    const before = await readText(path.join(config.root, item.file))
    if (before === item.content) continue
    effective.push(item)
    if (before === undefined) createdFiles.push(item.file)
    else
      changedFiles.push({
        file: item.file,
        diff: createTwoFilesPatch(`a/${item.file}`, `b/${item.file}`, before, item.content ?? ''),
      })
  }
  await writeAllOrNothing(config.root, effective)
  return {
    service: service.id,
    created: change.created,
    routes: change.addedRoutes,
    createdFiles,
    changedFiles,
    notes,
    next: writeScaffold ? `npx vitest run ${paths.test}` : undefined,
  }
}

async function readText(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8')
  } catch {
    return undefined
  }
}
