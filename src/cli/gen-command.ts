import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Command } from 'commander'
import { outputDir } from '../generators/app-generators'
import { generateApp } from '../generators/generate-app'
import { applySync, diffPlan, planSync } from '../generators/sync-files'
import { legoApi } from '../manifest'

/** The xray-scaffold package's own folder (templates, fixtures). */
const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

interface GenOptions {
  readonly check?: boolean
}

/** `xray-scaffold gen [--check]`: regenerates the app's runtime, clients, infra and handlers. */
export function registerGen(program: Command): void {
  program
    .command('gen')
    .description(
      'regenerate the traced app (runtime, traced clients, infra, retrofitted handlers) from its config',
    )
    .option('--check', 'write nothing; exit 1 with a unified diff when the files on disk differ')
    .action(async (options: GenOptions) => {
      process.exitCode = await gen(options)
    })
}

async function gen(options: GenOptions): Promise<number> {
  const root = PACKAGE_ROOT
  const app = legoApi
  const outDir = outputDir(app)
  const files = await generateApp(root, app)
  const plan = await planSync(root, outDir, files)
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
  await applySync(root, plan, files)
  for (const file of plan.write) console.log(`  written  ${file}`)
  for (const file of plan.remove) console.log(`  removed  ${file}`)
  console.log(
    `gen: ${plan.write.length} written, ${plan.unchanged.length} unchanged, ${plan.remove.length} removed in ${outDir}`,
  )
  return 0
}
