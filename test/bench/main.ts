import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { runAblations } from './ablations'
import { INSTRUCTION_OPTIONS, runInstructions } from './instructions'
import { instructionTable } from './instructions-report'
import { runCodemodBench } from './codemod-throughput'
import { ablationTable, benchTable, toolingTable } from './report'
import { DEFAULT_OPTIONS, runBench, type BenchOptions } from './run-bench'

/*
 * `npm run bench [-- --quick] [-- --ablations | --instructions]`: the tracing variants side by
 * side on Node 24 and Node 20 (per-invocation overhead of MOC GET, promise tax, cold start, bundle
 * size), or with `--ablations` the generated runtime with one piece of tracing taken out at a time
 * (Node 24), or with `--instructions` the variants' instructions counted under callgrind (Node 24).
 * Prints a Markdown table and writes everything to test/bench/results/ (not for --quick).
 */

const USAGE = 'usage: npm run bench [-- --quick] [-- --ablations | --instructions | --codemod]'
const FLAGS = ['--quick', '--ablations', '--instructions', '--codemod']

const QUICK: BenchOptions = {
  rounds: 20,
  warmupRounds: 5,
  processesPerVariant: 1,
  promiseTaxRounds: 5,
  promiseTaxProcesses: 1,
  coldStarts: 2,
  genRuns: 1,
  codemodRuns: 2,
}

const RESULTS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), './results')

async function main(argv: string[]): Promise<number> {
  const unknown = argv.filter((arg) => !FLAGS.includes(arg))
  if (unknown.length > 0) {
    console.error(`bench: unknown argument ${unknown[0]}; ${USAGE}`)
    return 2
  }
  if (argv.includes('--ablations') && argv.includes('--instructions')) {
    console.error(`bench: --ablations and --instructions are separate studies; ${USAGE}`)
    return 2
  }
  const quick = argv.includes('--quick')
  const options = quick ? QUICK : DEFAULT_OPTIONS
  const log = (line: string) => console.error(`bench: ${line}`)
  if (argv.includes('--codemod')) return runCodemodBench(quick, RESULTS_DIR, log)
  const [table, results, file] = argv.includes('--instructions')
    ? await runInstructions(
        quick
          ? { warmupInvocations: 40, measuredInvocations: 40, blocks: 2, repeats: 1, parallel: 2 }
          : INSTRUCTION_OPTIONS,
        log,
      ).then((r) => [instructionTable(r), r, 'instructions.json'] as const)
    : argv.includes('--ablations')
      ? await runAblations(
          // The pieces cost tenths of the whole: more rounds than the variants' comparison needs.
          quick ? options : { ...options, rounds: 900 },
          log,
        ).then((r) => [ablationTable(r), r, 'ablations.json'] as const)
      : await runBench(options, log).then(
          (r) => [`${benchTable(r)}\n\n${toolingTable(r.tooling)}`, r, 'variants.json'] as const,
        )
  console.log(table)
  // A smoke run's figures are not worth keeping: it leaves the committed results alone.
  if (quick) {
    console.log(`\n${results.durationS} s (--quick: results not written)`)
    return 0
  }
  await mkdir(RESULTS_DIR, { recursive: true })
  const out = path.join(RESULTS_DIR, file)
  await writeFile(out, `${JSON.stringify(results, null, 2)}\n`)
  console.log(`\n${results.durationS} s; results in ${path.relative(process.cwd(), out)}`)
  return 0
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error)
    process.exit(1)
  },
)
