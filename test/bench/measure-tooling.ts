import { execFile } from 'node:child_process'
import { readFile } from 'node:fs/promises'
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

export interface ToolingOptions {
  /** Runs of `gen --check` in a fresh process, and of `generateApp` in this one. */
  genRuns: number
  /** Runs of the codemod over the whole app and over one handler, after a first one. */
  codemodRuns: number
}

export interface ToolingResult {
  /** `process.version` of what ran `generateApp` and the codemod (the CLI runs on the same). */
  node: string
  gen: {
    /** Files `npm run gen` produces. */
    files: number
    /** Median wall time of `tsx src/cli/gen.ts --check` (what `npm run gen -- --check` runs), ms. */
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
    /** Median of the same project with only its first handler retrofitted, warm, ms. */
    oneHandlerMs: number
    /**
     * What each further handler adds: (app - one handler) / (handlers - 1), ms. The rest is the
     * fixed cost of a run: loading the app into a ts-morph project and building the TypeScript
     * program the type checks need.
     */
    perHandlerMs: number
    /** Handlers and source lines per second once the fixed cost is paid, from perHandlerMs. */
    handlersPerSecond: number
    linesPerSecond: number
  }
}

/**
 * Measures the generator and the codemod on the lego-api. The codemod is measured first, so that
 * its first run is what it is in `npm run gen`: the declaration files parsed for the first time
 * and the code not yet optimised. Whole-app and one-handler runs alternate, so that drift of a
 * shared machine hits both alike.
 *
 * @example
 * const tooling = await measureTooling({ genRuns: 5, codemodRuns: 10 })
 */
export async function measureTooling(options: ToolingOptions): Promise<ToolingResult> {
  const app = legoApi
  const appDir = fixtureDir(REPO_ROOT, app)
  const oneHandler: AppManifest = { ...app, services: app.services.slice(0, 1) }
  const texts = await Promise.all(
    app.services.map((service) =>
      readFile(path.join(appDir, 'src/functions', `${service.id}.ts`), 'utf8'),
    ),
  )
  const lines = texts.reduce((total, text) => total + text.split('\n').length, 0)
  const retrofit = (manifest: AppManifest) => () => {
    if (retrofitApp(appDir, manifest).length === 0)
      throw new Error('the codemod retrofitted nothing')
  }

  const [firstMs] = await timeRuns(1, retrofit(app))
  const appRuns: number[] = []
  const oneRuns: number[] = []
  for (let run = 0; run < options.codemodRuns; run++) {
    appRuns.push(...(await timeRuns(1, retrofit(app))))
    oneRuns.push(...(await timeRuns(1, retrofit(oneHandler))))
  }
  let files = 0
  const genRuns = await timeRuns(options.genRuns + 1, async () => {
    files = (await generateApp(REPO_ROOT, app)).size
  })
  const cliRuns = await timeRuns(options.genRuns, async () => {
    // Rejects (and fails the benchmark) when generated/ is not what the templates produce.
    await promisify(execFile)(TSX, ['src/cli/gen.ts', '--check'], { cwd: REPO_ROOT })
  })

  const appMs = median(appRuns)
  const oneHandlerMs = median(oneRuns)
  const perHandlerMs = (appMs - oneHandlerMs) / (app.services.length - 1)
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
      appMs: round(appMs, 0),
      oneHandlerMs: round(oneHandlerMs, 0),
      perHandlerMs: round(perHandlerMs, 1),
      handlersPerSecond: round(1000 / perHandlerMs, 0),
      linesPerSecond: round((lines * 1000) / (app.services.length * perHandlerMs), 0),
    },
  }
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
