import { execFile } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { promisify } from 'node:util'

/*
 * Counting instructions with valgrind's callgrind: a process runs under it, and the parent marks
 * boundaries by asking callgrind to dump its counters (`callgrind_control --dump`), which writes
 * the instructions executed since the previous dump, in every thread (JIT compilers and GC
 * helpers included), to `<out file>.<n>`. Counts are repeatable where wall time is not.
 */

const run = promisify(execFile)

/** valgrind's command line for one process, its dumps written to `outFile.<n>`. */
export function callgrindLauncher(outFile: string): string[] {
  return [
    'valgrind',
    '--tool=callgrind',
    `--callgrind-out-file=${outFile}`,
    // Counts only; no per-instruction or cache data, which would slow it further.
    '--dump-instr=no',
    '--compress-strings=no',
    '--log-file=/dev/null',
  ]
}

/**
 * Fails with what to do when valgrind is missing.
 *
 * @example
 * await assertValgrind()
 */
export async function assertValgrind(): Promise<void> {
  try {
    await run('valgrind', ['--version'])
    await run('callgrind_control', ['--version'])
  } catch {
    throw new Error('valgrind is not installed: apt-get install valgrind (Debian), then rerun')
  }
}

/**
 * Dumps the counters of the callgrind process `pid` and returns the instructions it executed
 * since its previous dump (or its start): dump number `index` (1-based) of `outFile`.
 *
 * @example
 * const init = await dumpInstructions(lambda.pid, outFile, 1)
 */
export async function dumpInstructions(
  pid: number,
  outFile: string,
  index: number,
): Promise<number> {
  await run('callgrind_control', ['--dump', String(pid)])
  const text = await readFile(`${outFile}.${index}`, 'utf8')
  const totals = /^(?:totals|summary): (\d+)/m.exec(text)
  if (!totals) throw new Error(`no totals in ${outFile}.${index}`)
  return Number(totals[1])
}

/**
 * Switches callgrind's instrumentation of process `pid` off or on. Off, the process runs several
 * times faster and nothing is counted: for a long warm-up between counted parts.
 *
 * @example
 * await setInstrumentation(lambda.pid, false)
 */
export async function setInstrumentation(pid: number, on: boolean): Promise<void> {
  await run('callgrind_control', [`--instr=${on ? 'on' : 'off'}`, String(pid)])
}

/** V8's optimising compilers (Maglev, TurboFan), entered on the main thread under --predictable. */
const OPTIMIZING_COMPILER = /^\s*([\d,]+) .*v8::internal::Compiler::CompileOptimized(?:OSR)?\(/

/**
 * Instructions the optimising compilers ran in dump `index` of `outFile` (their inclusive cost,
 * from callgrind_annotate): what a block spent compiling rather than running its invocations.
 *
 * @example
 * const compiling = await optimizingCompilerInstructions(outFile, 3)
 */
export async function optimizingCompilerInstructions(
  outFile: string,
  index: number,
): Promise<number> {
  const { stdout } = await run(
    'callgrind_annotate',
    ['--inclusive=yes', '--threshold=100', `${outFile}.${index}`],
    { maxBuffer: 256 * 1024 * 1024 },
  )
  let total = 0
  for (const line of stdout.split('\n')) {
    const match = OPTIMIZING_COMPILER.exec(line)
    if (match) total += Number(match[1]!.replaceAll(',', ''))
  }
  return total
}
