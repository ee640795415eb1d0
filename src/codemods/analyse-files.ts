import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { Project } from 'ts-morph'
import type { FileClients } from './client-bindings'
import { SOURCE_EXTENSIONS, staysInside, type CollectedFile } from './collect-files'
import { configuredHandlers } from './configured-handlers'
import { retrofitSource, type SourceRetrofit } from './retrofit-source'

/** The skip reason of the runtime's own files: the CLI counts them in one line. */
export const RUNTIME_FILE = 'part of the tracing runtime'

/** Files larger than this are not read: generated bundles, not handlers. */
export const MAX_FILE_BYTES = 1024 * 1024

/** The default runtime folder, inside the repository a file belongs to. */
export const DEFAULT_RUNTIME_DIR = 'src/lib/tracing'

/** Files analysed in one ts-morph project before it is dropped for a fresh one. */
const PROJECT_BATCH = 200

/** What the analysis of files needs from the run (plain data: it crosses to worker threads). */
export interface AnalyseOptions {
  readonly cwd: string
  /** The runtime folder as the user gave it (relative to `cwd`), or undefined for the default. */
  readonly runtimeDir?: string
  readonly convertCallbacks: boolean
}

/** One file analysed: what the codemod would make of it; nothing is written yet. */
export interface AnalysedFile {
  readonly path: string
  readonly status: SourceRetrofit['status']
  readonly reason?: string
  readonly before?: string
  readonly after?: string
  readonly retrofit?: SourceRetrofit
  /** For a changed file: the runtime it imports and the repository it belongs to. */
  readonly runtimeDir?: string
  readonly repoRoot?: string
}

/**
 * Reads and retrofits `files` in memory, one after another: a file that cannot be read safely
 * (missing, binary, over 1 MiB, a symlink out of the given roots, outside the source types) is
 * skipped or failed with its reason before it is parsed.
 */
export async function analyseFiles(
  files: readonly CollectedFile[],
  options: AnalyseOptions,
  onFile?: () => void,
): Promise<AnalysedFile[]> {
  const newProject = () =>
    new Project({
      // Files come in as text (read here, with the checks above); the project never reads the disk.
      useInMemoryFileSystem: true,
      compilerOptions: { allowJs: true, noEmit: true },
      skipAddingFilesFromTsConfig: true,
      skipFileDependencyResolution: true,
    })
  let project = newProject()
  let filesInProject = 0
  const cache = new Map<string, FileClients>()
  const handlerNames = new Map<string, Set<string>>()
  // Folder → repository root: the files of one folder share the walk up to the package.json.
  const repoRoots = new Map<string, string>()
  const display = (file: string) => path.relative(options.cwd, file) || file

  const analysed: AnalysedFile[] = []
  for (const { path: file, root, problem } of files) {
    analysed.push(await analyseFile(file, root, problem))
    onFile?.()
  }
  return analysed

  async function analyseFile(
    file: string,
    root: string,
    problem: string | undefined,
  ): Promise<AnalysedFile> {
    if (problem) return { path: file, status: 'failed', reason: problem }
    const extension = path.extname(file).slice(1)
    if (!(SOURCE_EXTENSIONS as readonly string[]).includes(extension))
      return { path: file, status: 'skipped', reason: 'not a JavaScript or TypeScript file' }
    // A symlink (or a file inside a symlinked folder) may lead anywhere: only inside the roots.
    if (!staysInside(file, root))
      return { path: file, status: 'skipped', reason: `a symlink leading out of ${display(root)}` }
    // Synchronous reads: a thousand small files read faster than through the promise API.
    const buffer = readFileSync(file)
    if (buffer.length > MAX_FILE_BYTES)
      return { path: file, status: 'skipped', reason: 'larger than 1 MiB' }
    if (buffer.subarray(0, 8000).includes(0))
      return { path: file, status: 'skipped', reason: 'a binary file' }
    const repoRoot = repositoryRoot(file, options.cwd, repoRoots)
    const runtimeDir = options.runtimeDir
      ? path.resolve(options.cwd, options.runtimeDir)
      : path.join(repoRoot, DEFAULT_RUNTIME_DIR)
    if (!path.relative(runtimeDir, file).startsWith('..'))
      return { path: file, status: 'skipped', reason: RUNTIME_FILE }
    let names = handlerNames.get(repoRoot)
    if (!names) handlerNames.set(repoRoot, (names = await configuredHandlers(repoRoot)))

    const before = buffer.toString('utf8')
    // A fresh project now and then instead of forgetting each file: dropping a whole project is
    // cheaper than ts-morph's per-node forget, and memory stays bounded.
    if (++filesInProject > PROJECT_BATCH) {
      project = newProject()
      filesInProject = 1
    }
    // `overwrite` only when the project holds the file already (read as a local module): for a
    // new file ts-morph would first look for it on its (empty) file system, by a thrown error.
    const source = project.createSourceFile(file, before, {
      overwrite: project.getSourceFile(file) !== undefined,
    })
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
    }
    return {
      path: file,
      status: retrofit.status,
      ...(retrofit.reason ? { reason: retrofit.reason } : {}),
      before,
      after: retrofit.text,
      retrofit,
      ...(retrofit.status === 'changed' ? { runtimeDir, repoRoot } : {}),
    }
  }
}

/** The nearest folder above `file` with a package.json (the repository it belongs to), else `cwd`. */
function repositoryRoot(file: string, cwd: string, roots: Map<string, string>): string {
  const dir = path.dirname(file)
  let root = roots.get(dir)
  if (root === undefined) {
    root = existsSync(path.join(dir, 'package.json'))
      ? dir
      : path.dirname(dir) === dir
        ? cwd
        : repositoryRoot(dir, cwd, roots)
    roots.set(dir, root)
  }
  return root
}
