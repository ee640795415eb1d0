import { readFileSync } from 'node:fs'
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
// The TypeScript API the codemod itself parses with (ts-morph's; the typescript package here is the native compiler).
import { ts } from 'ts-morph'
import { runCodemod } from '../../src/codemods/codemod-run'

/*
 * Codemod throughput (`npm run bench -- --codemod`): the codemod over a generated corpus of
 * handler files of mixed shapes (every input of test/codemod/repo-cases, many times over with
 * names varied), against the bare cost of parsing and printing the same files with the
 * TypeScript API in the same process. Goals (issue 10): at least 200 files/s on the 2-core
 * machine and at most 3x the bare cost.
 */

const CASES_DIR = fileURLToPath(new URL('../codemod/repo-cases', import.meta.url))

export interface CodemodThroughput {
  readonly files: number
  readonly runs: number
  /** Median over the runs. */
  readonly codemodFilesPerS: number
  readonly bareFilesPerS: number
  /** Codemod time / bare parse + print time (median run of each). */
  readonly ratio: number
  readonly changed: number
  readonly peakRssMiB: number
  readonly durationS: number
}

/** Writes `count` handler files (plus the cases' `lib/` and serverless.yml) into a fresh folder. */
async function corpus(count: number): Promise<{ dir: string; files: string[] }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'codemod-corpus-'))
  await writeFile(path.join(dir, 'package.json'), '{"name":"corpus","private":true}')
  await cp(path.join(CASES_DIR, 'lib'), path.join(dir, 'src', 'lib'), { recursive: true })
  await rm(path.join(dir, 'src', 'lib', 'tracing'), { recursive: true })
  const inputs = (await readdir(CASES_DIR)).filter((f) => /\.input\.\w+$/.test(f)).sort()
  const texts = await Promise.all(inputs.map((f) => readFile(path.join(CASES_DIR, f), 'utf8')))
  const files: string[] = []
  for (let i = 0; i < count; i++) {
    const index = i % inputs.length
    const extension = inputs[index]!.replace(/^.*\.input\./, '')
    const group = `g${Math.floor(i / 100)}`
    const file = path.join(dir, 'src', group, `handler${i}.${extension}`)
    // Varied names and table so no two files are the same text.
    const text = texts[index]!.replaceAll('./lib/', '../lib/').replace(/\borders\b/g, `orders_${i}`)
    if (i < 100 || i % 100 === 0) await mkdir(path.dirname(file), { recursive: true })
    await writeFile(file, text)
    files.push(file)
  }
  return { dir, files }
}

/** Parses and prints every file with the TypeScript API: the floor any codemod pays. */
function bareParsePrint(files: readonly string[]): number {
  const printer = ts.createPrinter()
  const started = performance.now()
  let length = 0
  for (const file of files) {
    const text = readFileSync(file, 'utf8')
    const kind = /\.(c|m)?js$/.test(file) ? ts.ScriptKind.JS : ts.ScriptKind.TS
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, kind)
    length += printer.printFile(source).length
  }
  if (length === 0) throw new Error('printed nothing')
  return (performance.now() - started) / 1000
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!

export async function runCodemodThroughput(
  options: { files: number; runs: number },
  log: (line: string) => void,
): Promise<CodemodThroughput> {
  const started = performance.now()
  const { dir, files } = await corpus(options.files)
  let peakRss = process.memoryUsage().rss
  const sample = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20)
  try {
    const codemodTimes: number[] = []
    const bareTimes: number[] = []
    let changed = 0
    for (let run = 0; run < options.runs; run++) {
      // Alternating, so both see the same machine state.
      bareTimes.push(bareParsePrint(files))
      const result = await runCodemod({
        cwd: dir,
        paths: ['src'],
        write: false,
        force: false,
        convertCallbacks: false,
      })
      codemodTimes.push(result.seconds)
      changed = result.files.filter((f) => f.status === 'changed').length
      log(
        `codemod run ${run + 1}/${options.runs}: ${result.files.length} files in ${result.seconds.toFixed(2)} s (bare ${bareTimes.at(-1)!.toFixed(2)} s)`,
      )
    }
    const codemodS = median(codemodTimes)
    const bareS = median(bareTimes)
    return {
      files: files.length,
      runs: options.runs,
      codemodFilesPerS: Math.round(files.length / codemodS),
      bareFilesPerS: Math.round(files.length / bareS),
      ratio: Number((codemodS / bareS).toFixed(2)),
      changed,
      peakRssMiB: Math.round(peakRss / 1024 / 1024),
      durationS: Math.round((performance.now() - started) / 100) / 10,
    }
  } finally {
    clearInterval(sample)
    await rm(dir, { recursive: true, force: true })
  }
}

/** The figures as a Markdown table. */
export function codemodTable(result: CodemodThroughput): string {
  return [
    '| Corpus | Codemod | Bare parse + print (TypeScript API) | Ratio | Peak RSS |',
    '| --- | --- | --- | --- | --- |',
    `| ${result.files} files (${result.changed} changed), median of ${result.runs} | ${result.codemodFilesPerS} files/s | ${result.bareFilesPerS} files/s | ${result.ratio}x | ${result.peakRssMiB} MiB |`,
  ].join('\n')
}

/**
 * `npm run bench -- --codemod`: 1,200 files, median of 5 runs (1 with `--quick`, whose figures
 * are not kept); prints the table and writes `codemod.json` into `resultsDir`.
 */
export async function runCodemodBench(
  quick: boolean,
  resultsDir: string,
  log: (line: string) => void,
): Promise<number> {
  const result = await runCodemodThroughput({ files: 1200, runs: quick ? 1 : 5 }, log)
  console.log(codemodTable(result))
  if (quick) {
    console.log(`\n${result.durationS} s (--quick: results not written)`)
    return 0
  }
  await mkdir(resultsDir, { recursive: true })
  const out = path.join(resultsDir, 'codemod.json')
  await writeFile(out, `${JSON.stringify(result, null, 2)}\n`)
  console.log(`\n${result.durationS} s; results in ${path.relative(process.cwd(), out)}`)
  return 0
}
