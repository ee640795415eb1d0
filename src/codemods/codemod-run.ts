import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { createTwoFilesPatch } from 'diff'
import { Project } from 'ts-morph'
import writeFileAtomic from 'write-file-atomic'
import type { FileClients } from './client-bindings'
import { collectFiles, SOURCE_EXTENSIONS, staysInside } from './collect-files'
import { configuredHandlers } from './configured-handlers'
import { uncommittedFiles } from './git-state'
import { hasRuntime, planRuntime, writeRuntime, type RuntimePlan } from './install-runtime'
import { retrofitSource, type SourceRetrofit } from './retrofit-source'

/** Files larger than this are not read: generated bundles, not handlers. */
export const MAX_FILE_BYTES = 1024 * 1024

/** The default runtime folder, inside the repository a file belongs to. */
export const DEFAULT_RUNTIME_DIR = 'src/lib/tracing'

export interface CodemodOptions {
  readonly cwd: string
  /** Files, folders or globs. */
  readonly paths: readonly string[]
  /** Write nothing (for `--dry-run`, `--check`). */
  readonly write: boolean
  /** Write even over uncommitted changes. */
  readonly force: boolean
  /** The runtime folder as the user gave it (relative to `cwd`), or undefined for the default. */
  readonly runtimeDir?: string
  readonly convertCallbacks: boolean
  /** Called after each file, for a progress line. */
  readonly onProgress?: (done: number, total: number) => void
}

/** What happened to one file. */
export interface FileOutcome {
  readonly path: string
  /** The path relative to the working directory, for messages. */
  readonly display: string
  readonly status: SourceRetrofit['status']
  readonly reason?: string
  readonly before?: string
  readonly after?: string
  readonly retrofit?: SourceRetrofit
}

export interface CodemodRun {
  readonly files: readonly FileOutcome[]
  /** Runtimes generated (or, without writing, that would be). */
  readonly runtimes: readonly RuntimePlan[]
  /** Set when nothing was written because files had uncommitted changes or runtimes conflicted. */
  readonly refused?: readonly string[]
  readonly seconds: number
}

/**
 * Runs the codemod over the files `options.paths` name: each is retrofitted in memory (see
 * {@link retrofitSource}); a file that cannot be read safely (missing, binary, over 1 MiB, a
 * symlink out of the given roots, a syntax error) is skipped with its reason. When writing, the
 * run refuses to touch files with uncommitted changes (unless `force`), generates the runtime
 * where a changed file needs it and it is missing, and writes each changed file atomically.
 */
export async function runCodemod(options: CodemodOptions): Promise<CodemodRun> {
  const started = performance.now()
  const collected = await collectFiles(options.cwd, options.paths)
  const project = new Project({
    compilerOptions: { allowJs: true, noEmit: true },
    skipAddingFilesFromTsConfig: true,
    skipFileDependencyResolution: true,
  })
  const cache = new Map<string, FileClients>()
  const handlerNames = new Map<string, Set<string>>()
  const runtimeDirs = new Map<string, string>() // runtime dir → repository root
  const display = (file: string) => {
    const relative = path.relative(options.cwd, file)
    return relative && !relative.startsWith('..') ? relative : file
  }
  const outcomes: FileOutcome[] = []

  let done = 0
  for (const { path: file, root, problem } of collected) {
    const outcome = await processFile(file, root, problem)
    outcomes.push({ display: display(file), ...outcome })
    options.onProgress?.(++done, collected.length)
  }

  async function processFile(
    file: string,
    root: string,
    problem: string | undefined,
  ): Promise<Omit<FileOutcome, 'display'>> {
    if (problem) return { path: file, status: 'failed', reason: problem }
    const extension = path.extname(file).slice(1)
    if (!(SOURCE_EXTENSIONS as readonly string[]).includes(extension))
      return { path: file, status: 'skipped', reason: 'not a JavaScript or TypeScript file' }
    // A symlink (or a file inside a symlinked folder) may lead anywhere: only inside the roots.
    if (!(await staysInside(file, root)))
      return { path: file, status: 'skipped', reason: `a symlink leading out of ${display(root)}` }
    const buffer = await readFile(file)
    if (buffer.length > MAX_FILE_BYTES)
      return { path: file, status: 'skipped', reason: 'larger than 1 MiB' }
    if (buffer.subarray(0, 8000).includes(0))
      return { path: file, status: 'skipped', reason: 'a binary file' }
    const repoRoot = repositoryRoot(file, options.cwd)
    const runtimeDir = options.runtimeDir
      ? path.resolve(options.cwd, options.runtimeDir)
      : path.join(repoRoot, DEFAULT_RUNTIME_DIR)
    if (!path.relative(runtimeDir, file).startsWith('..'))
      return { path: file, status: 'skipped', reason: 'part of the tracing runtime' }
    let names = handlerNames.get(repoRoot)
    if (!names) handlerNames.set(repoRoot, (names = await configuredHandlers(repoRoot)))

    const before = buffer.toString('utf8')
    const source = project.createSourceFile(file, before, { overwrite: true })
    let retrofit: SourceRetrofit
    try {
      retrofit = retrofitSource(source, {
        project,
        runtimeDir,
        configuredHandlers: names,
        convertCallbacks: options.convertCallbacks,
        cache,
      })
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error)
      return { path: file, status: 'failed', reason: `the codemod stopped: ${message}` }
    } finally {
      // Analysed and done: drop its syntax tree (ts-morph's guidance for large runs).
      project.removeSourceFile(source)
    }
    if (retrofit.status === 'changed') runtimeDirs.set(runtimeDir, repoRoot)
    return {
      path: file,
      status: retrofit.status,
      ...(retrofit.reason ? { reason: retrofit.reason } : {}),
      before,
      after: retrofit.text,
      retrofit,
    }
  }

  const runtimes: RuntimePlan[] = []
  for (const [runtimeDir, repoRoot] of runtimeDirs) {
    if (!hasRuntime(runtimeDir)) runtimes.push(await planRuntime(repoRoot, runtimeDir))
  }
  const changed = outcomes.filter((o) => o.status === 'changed')
  const seconds = (performance.now() - started) / 1000
  if (!options.write || changed.length === 0) return { files: outcomes, runtimes, seconds }

  const refused: string[] = []
  for (const runtime of runtimes) refused.push(...runtime.plan.conflicts)
  if (!options.force) {
    for (const file of await uncommittedFiles(changed.map((o) => o.path)))
      refused.push(
        `${display(file)} has uncommitted changes: commit or stash them first (or rerun with --force)`,
      )
  }
  if (refused.length > 0) return { files: outcomes, runtimes, refused, seconds }

  for (const runtime of runtimes) await writeRuntime(runtime)
  for (const outcome of changed) await writeFileAtomic(outcome.path, outcome.after!)
  return { files: outcomes, runtimes, seconds: (performance.now() - started) / 1000 }
}

/** The nearest folder above `file` with a package.json (the repository it belongs to), else `cwd`. */
function repositoryRoot(file: string, cwd: string): string {
  let dir = path.dirname(file)
  for (;;) {
    if (existsSync(path.join(dir, 'package.json'))) return dir
    const parent = path.dirname(dir)
    if (parent === dir) return cwd
    dir = parent
  }
}

/** The unified diff of one changed file, paths relative to the working directory. */
export function fileDiff(outcome: FileOutcome): string {
  return createTwoFilesPatch(
    `a/${outcome.display}`,
    `b/${outcome.display}`,
    outcome.before ?? '',
    outcome.after ?? '',
  )
}
