import path from 'node:path'
import { createTwoFilesPatch } from 'diff'
import writeFileAtomic from 'write-file-atomic'
import { analyseFiles, type AnalysedFile, type AnalyseOptions } from './analyse-files'
import { collectFiles } from './collect-files'
import { uncommittedFiles } from './git-state'
import { hasRuntime, planRuntime, writeRuntime, type RuntimePlan } from './install-runtime'
import type { SourceRetrofit } from './retrofit-source'

export { DEFAULT_RUNTIME_DIR, MAX_FILE_BYTES } from './analyse-files'

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
  const display = (file: string) => {
    const relative = path.relative(options.cwd, file)
    return relative && !relative.startsWith('..') ? relative : file
  }
  let done = 0
  const progress = () => options.onProgress?.(++done, collected.length)
  const analyseOptions: AnalyseOptions = {
    cwd: options.cwd,
    convertCallbacks: options.convertCallbacks,
    ...(options.runtimeDir ? { runtimeDir: options.runtimeDir } : {}),
  }
  // One thread: worker threads were measured on the 2-core machine and lost (each first loads
  // TypeScript and ts-morph), even at 5,000 files; see test/bench/README.md.
  const analysed = await analyseFiles(collected, analyseOptions, progress)
  const outcomes: FileOutcome[] = analysed.map((file) => ({ display: display(file.path), ...file }))
  const runtimeDirs = new Map<string, string>() // runtime dir → repository root
  for (const file of analysed)
    if (file.runtimeDir && file.repoRoot) runtimeDirs.set(file.runtimeDir, file.repoRoot)

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

/** The unified diff of one changed file, paths relative to the working directory. */
export function fileDiff(outcome: FileOutcome): string {
  // git's a/ b/ prefixes for paths under the working directory; absolute ones stay as they are.
  const prefix = (side: string) => (path.isAbsolute(outcome.display) ? '' : `${side}/`)
  return createTwoFilesPatch(
    `${prefix('a')}${outcome.display}`,
    `${prefix('b')}${outcome.display}`,
    outcome.before ?? '',
    outcome.after ?? '',
  )
}
