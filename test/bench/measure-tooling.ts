import { execFile } from 'node:child_process'
import { cp, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { retrofitApp } from '../../src/codemods/retrofit-app'
import { fixtureDir } from '../../src/generators/app-generators'
import { generateApp } from '../../src/generators/generate-app'
import { legoApi, type AppManifest } from '../../src/manifest'
import { median, round } from './statistics'

/*
 * The scaffolder's own speed: `npm run gen -- --check` as a user runs it, `generateApp` once its
 * modules are loaded, and the codemod retrofitting the lego-api's existing handlers.
 */

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url))
const TSX = path.join(REPO_ROOT, 'node_modules/.bin/tsx')

/** Copies of each handler in the scaled app the codemod's per-handler cost is read from. */
const SCALE = 10

export interface ToolingOptions {
  /** Runs of `gen --check` in a fresh process, and of `generateApp` in this one. */
  genRuns: number
  /** Runs of the codemod over the app, and over its scaled copy, after a first one. */
  codemodRuns: number
}

export interface ToolingResult {
  /** `process.version` of what ran `generateApp` and the codemod (the CLI runs on the same). */
  node: string
  gen: {
    /** Files `npm run gen` produces. */
    files: number
    /** Median wall time of `bin/xray-scaffold.mjs gen --check` (what `npm run gen -- --check` runs), ms. */
    cliMs: number
    /** Median of `generateApp` in this process, its modules loaded and warm, ms. */
    warmMs: number
  }
  codemod: {
    /** Handlers of the app, and their lines before the retrofit. */
    handlers: number
    lines: number
    /** The whole app retrofitted the first time in this process, ms. */
    firstMs: number
    /** Median of the whole app, warm, ms. */
    appMs: number
    /**
     * Median of a copy of the app with each handler there `SCALE` times (`scaledHandlers`), warm,
     * ms. Copies share their types, which the checker then resolves once: this is the codemod's
     * cost per handler file (parsing, edits, printing) over a fixed cost that grows little,
     * not what as many handlers over as many different tables would cost.
     */
    scaledHandlers: number
    scaledMs: number
  }
}

/**
 * Measures the generator and the codemod on the lego-api. The codemod is measured first, so that
 * its first run is what it is in `npm run gen`: the declaration files parsed for the first time
 * and the code not yet optimised.
 *
 * @example
 * const tooling = await measureTooling({ genRuns: 5, codemodRuns: 10 })
 */
export async function measureTooling(options: ToolingOptions): Promise<ToolingResult> {
  const app = legoApi
  const appDir = fixtureDir(REPO_ROOT, app)
  const texts = await Promise.all(
    app.services.map((service) =>
      readFile(path.join(appDir, 'src/functions', `${service.id}.ts`), 'utf8'),
    ),
  )
  const lines = texts.reduce((total, text) => total + text.split('\n').length, 0)

  const [firstMs] = await timeRuns(1, retrofit(appDir, app))
  // The app and its scaled copy alternate, so that drift of a shared machine (and the code
  // warming up) hits both alike.
  const scaled = await scaledApp(appDir, app)
  const appRuns: number[] = []
  const scaledRuns: number[] = []
  try {
    for (let run = 0; run < options.codemodRuns; run++) {
      appRuns.push(...(await timeRuns(1, retrofit(appDir, app))))
      scaledRuns.push(...(await timeRuns(1, retrofit(scaled.dir, scaled.app))))
    }
  } finally {
    await rm(scaled.dir, { recursive: true, force: true })
  }

  let files = 0
  const genRuns = await timeRuns(options.genRuns + 1, async () => {
    files = (await generateApp(REPO_ROOT, app)).size
  })
  const cliRuns = await timeRuns(options.genRuns, async () => {
    // Rejects (and fails the benchmark) when generated/ is not what the templates produce.
    await promisify(execFile)(process.execPath, ['bin/xray-scaffold.mjs', 'gen', '--check'], { cwd: REPO_ROOT })
  })

  return {
    node: process.version,
    gen: {
      files,
      cliMs: round(median(cliRuns), 0),
      // The first run loads plop's and prettier's plugins: warm means after it.
      warmMs: round(median(genRuns.slice(1)), 0),
    },
    codemod: {
      handlers: app.services.length,
      lines,
      firstMs: round(firstMs, 0),
      appMs: round(median(appRuns), 0),
      scaledHandlers: scaled.app.services.length,
      scaledMs: round(median(scaledRuns), 0),
    },
  }
}

/** One codemod run over `manifest`'s handlers in `appDir`; fails if it retrofitted nothing. */
function retrofit(appDir: string, manifest: AppManifest): () => void {
  return () => {
    if (retrofitApp(appDir, manifest).length === 0) {
      throw new Error(`the codemod retrofitted nothing in ${appDir}`)
    }
  }
}

/**
 * A temporary copy of the app with `SCALE` copies of each handler (`<id>-2.ts`, ...), and its
 * manifest listing them all. Its `node_modules` links to the repository's, so that the copy
 * resolves the same declaration files.
 */
async function scaledApp(
  appDir: string,
  app: AppManifest,
): Promise<{ dir: string; app: AppManifest }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'codemod-scale-'))
  await cp(appDir, dir, { recursive: true })
  await symlink(path.join(REPO_ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir')
  const services = [...app.services]
  for (const service of app.services) {
    const text = await readFile(path.join(appDir, 'src/functions', `${service.id}.ts`), 'utf8')
    for (let copy = 2; copy <= SCALE; copy++) {
      const id = `${service.id}-${copy}`
      await writeFile(path.join(dir, 'src/functions', `${id}.ts`), text)
      services.push({ ...service, id })
    }
  }
  return { dir, app: { ...app, services } }
}

/** Wall times of `runs` calls of `fn`, one after another, ms. */
async function timeRuns(runs: number, fn: () => void | Promise<void>): Promise<number[]> {
  const times: number[] = []
  for (let run = 0; run < runs; run++) {
    const start = performance.now()
    await fn()
    times.push(performance.now() - start)
  }
  return times
}
