import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { benchTable } from '../../test/bench/report'
import { DEFAULT_OPTIONS, runBench, type BenchOptions } from '../../test/bench/run-bench'

/*
 * `npm run bench [-- --quick]`: the tracing variants side by side on Node 24 and Node 20
 * (per-invocation overhead of MOC GET, promise tax, cold start, bundle size); prints a Markdown
 * table and writes everything to bench-results.json at the repository root.
 */

const USAGE = 'usage: npm run bench [-- --quick]'

const QUICK: BenchOptions = {
  rounds: 20,
  warmupRounds: 5,
  processesPerVariant: 1,
  promiseTaxRounds: 5,
  promiseTaxProcesses: 1,
  coldStarts: 2,
}

async function main(argv: string[]): Promise<number> {
  const unknown = argv.filter((arg) => arg !== '--quick')
  if (unknown.length > 0) {
    console.error(`bench: unknown argument ${unknown[0]}; ${USAGE}`)
    return 2
  }
  const options = argv.includes('--quick') ? QUICK : DEFAULT_OPTIONS
  const results = await runBench(options, (line) => console.error(`bench: ${line}`))
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
  const out = path.join(root, 'bench-results.json')
  await writeFile(out, `${JSON.stringify(results, null, 2)}\n`)
  console.log(benchTable(results))
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
