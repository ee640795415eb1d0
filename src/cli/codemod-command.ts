import path from 'node:path'
import type { Command } from 'commander'
import writeFileAtomic from 'write-file-atomic'
import { RUNTIME_FILE } from '../codemods/analyse-files'
import { checkFindings, markdownReport, resultsLine } from '../codemods/codemod-report'
import { DEFAULT_RUNTIME_DIR, fileDiff, runCodemod, type CodemodRun } from '../codemods/codemod-run'
import { colours } from './colours'

interface CodemodOptions {
  readonly dryRun?: boolean
  readonly check?: boolean
  readonly force?: boolean
  readonly report?: string
  readonly runtimeDir?: string
  readonly convertCallbacks?: boolean
}

/** Above this many files a progress line is shown on a terminal. */
const PROGRESS_THRESHOLD = 40

/** `xray-scaffold codemod [options] <paths…>`: retrofits tracing into a repository's handlers. */
export function registerCodemod(program: Command): void {
  program
    .command('codemod')
    .description(
      'retrofit X-Ray tracing into existing Lambda handlers (files, folders or globs), as text edits to review',
    )
    .argument('<paths...>', 'files, folders or globs of handler sources (.ts, .js, .mjs, .cjs)')
    .option('--dry-run', 'write nothing; print a unified diff per file that would change')
    .option(
      '--check',
      'write nothing; exit 1 listing every untraced handler and dependency call (file:line)',
    )
    .option('--force', 'write even into files with uncommitted git changes')
    .option('--report <file.md>', 'write a Markdown review summary of the run to this file')
    .option(
      '--runtime-dir <dir>',
      `where the tracing runtime lives; generated there when missing (default: ${DEFAULT_RUNTIME_DIR} of the repository)`,
    )
    .option(
      '--convert-callbacks',
      'rewrite callback-style handlers (event, context, callback) as async ones',
    )
    .action(async (paths: string[], options: CodemodOptions) => {
      process.exitCode = await codemod(paths, options)
    })
}

async function codemod(paths: string[], options: CodemodOptions): Promise<number> {
  const write = !options.dryRun && !options.check
  const tty = process.stderr.isTTY === true
  const run = await runCodemod({
    cwd: process.cwd(),
    paths,
    write,
    force: options.force === true,
    ...(options.runtimeDir ? { runtimeDir: options.runtimeDir } : {}),
    convertCallbacks: options.convertCallbacks === true,
    onProgress: (done, total) => {
      if (tty && total > PROGRESS_THRESHOLD)
        process.stderr.write(`\r${done}/${total} files${done === total ? '\n' : ''}`)
    },
  })

  if (options.dryRun)
    for (const file of changed(run)) process.stdout.write(colourDiff(fileDiff(file)))
  printFiles(run, write)
  if (options.report) {
    await writeFileAtomic(path.resolve(options.report), markdownReport(run))
    console.log(`report written to ${options.report}`)
  }
  let failed = run.files.some((f) => f.status === 'failed')
  if (options.check) {
    const findings = checkFindings(run)
    for (const finding of findings) console.log(finding)
    if (findings.length > 0) {
      process.stderr.write(
        `codemod --check: ${findings.length} untraced place(s); run npx xray-scaffold codemod on these files and commit the result\n`,
      )
      failed = true
    }
  }
  if (run.refused) {
    for (const line of run.refused) process.stderr.write(`codemod: ${line}\n`)
    process.stderr.write('codemod: nothing written\n')
    failed = true
  }
  console.log(resultsLine(run))
  return failed ? 1 : 0
}

const changed = (run: CodemodRun) => run.files.filter((f) => f.status === 'changed')

function printFiles(run: CodemodRun, write: boolean): void {
  for (const runtime of run.runtimes) {
    const verb = write && !run.refused ? 'generated' : 'would generate'
    console.log(
      `${verb} the tracing runtime in ${runtime.runtimeDir}/ (${runtime.files.size} files, from the templates gen uses)`,
    )
    if (runtime.missingPackages.length > 0)
      console.log(`  it needs: npm install ${runtime.missingPackages.join(' ')}`)
  }
  let runtimeFiles = 0
  for (const file of run.files) {
    if (file.status === 'changed' && write && !run.refused)
      console.log(`  changed  ${file.display}`)
    if (file.status === 'skipped' && file.reason === RUNTIME_FILE) runtimeFiles++
    else if (file.status === 'skipped') console.log(`  skipped  ${file.display}: ${file.reason}`)
    if (file.status === 'failed') console.log(`  failed   ${file.display}: ${file.reason}`)
    for (const note of file.retrofit?.notes ?? []) console.log(`  note     ${file.display} ${note}`)
  }
  if (runtimeFiles > 0)
    console.log(`  skipped  ${runtimeFiles} files of the tracing runtime itself`)
}

/** Colours a unified diff on a terminal only. */
function colourDiff(diff: string): string {
  return diff
    .split('\n')
    .map((line) =>
      line.startsWith('+++') || line.startsWith('---')
        ? colours.bold(line)
        : line.startsWith('+')
          ? colours.green(line)
          : line.startsWith('-')
            ? colours.red(line)
            : line.startsWith('@@')
              ? colours.cyan(line)
              : line,
    )
    .join('\n')
}
