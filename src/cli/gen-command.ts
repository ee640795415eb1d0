import type { Command } from 'commander'
import { authoredFiles } from '../generators/app-generators'
import { missingAppScaffolds } from '../generators/app-scaffolds'
import { generateApp } from '../generators/generate-app'
import { writeAllOrNothing } from '../generators/staged-write'
import { applySync, diffPlan, planSync } from '../generators/sync-files'
import { findConfigFile, loadConfig, ManifestError } from '../manifest'
import { registerGenHandler } from './gen-handler-command'
import { UsageError } from './usage-error'

interface GenOptions {
  readonly check?: boolean
  readonly config?: string
}

/**
 * `xray-scaffold gen [--config <file>] [--check]`: regenerates the runtime, clients, infra and
 * retrofitted handlers of the app a repository's config describes; `gen handler` adds a function.
 */
export function registerGen(program: Command): void {
  const gen = program
    .command('gen')
    .description(
      'regenerate the traced app (runtime, traced clients, infra, retrofitted handlers) from its config',
    )
    .option(
      '--config <file>',
      'the repository config to generate from (default: xray-scaffold.config.ts in this folder or above)',
    )
    .option('--check', 'write nothing; exit 1 with a unified diff when the files on disk differ')
    .action(async (options: GenOptions) => {
      process.exitCode = await runGen(options)
    })
  registerGenHandler(gen)
}

async function runGen(options: GenOptions): Promise<number> {
  const config = await Promise.resolve()
    .then(() => loadConfig(findConfigFile(process.cwd(), options.config)))
    .catch((error: unknown) => {
      throw error instanceof ManifestError ? new UsageError(error.message) : error
    })
  const { root, outDir } = config
  const files = await generateApp(config)
  const plan = await planSync(root, outDir, files, authoredFiles(config))
  const scaffolds = options.check ? new Map<string, string>() : await missingAppScaffolds(config)
  for (const conflict of plan.conflicts) process.stderr.write(`gen: ${conflict}\n`)
  if (options.check) {
    const diff = await diffPlan(root, plan, files)
    if (diff || plan.conflicts.length > 0) {
      process.stdout.write(diff)
      if (diff)
        process.stderr.write(
          `gen --check: ${outDir} differs from the templates and codemod; run npx xray-scaffold gen and commit the result\n`,
        )
      return 1
    }
    console.log(`gen --check: ${outDir} is up to date (${files.size} files)`)
    return 0
  }
  if (plan.conflicts.length > 0) {
    process.stderr.write(`gen: nothing written or removed\n`)
    return 1
  }
  await writeAllOrNothing(
    root,
    [...scaffolds].map(([file, content]) => ({ file, content })),
  )
  await applySync(root, plan, files)
  for (const file of scaffolds.keys()) console.log(`  created  ${file} (yours from now on)`)
  for (const file of plan.write) console.log(`  written  ${file}`)
  for (const file of plan.remove) console.log(`  removed  ${file}`)
  console.log(
    `gen: ${plan.write.length} written, ${plan.unchanged.length} unchanged, ${plan.remove.length} removed in ${outDir}`,
  )
  return 0
}
