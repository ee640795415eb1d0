import nodePlop from 'node-plop'
import type { Command } from 'commander'
import type { HandlerRun } from '../generators/gen-handler'
import { genHandler } from '../generators/gen-handler'
import { registerHandlerGenerator, withAnswers } from '../generators/handler-generator'
import type { HandlerOptions } from '../generators/handler-input'
import { findConfigFile, loadConfig, ManifestError } from '../manifest'
import { UsageError } from './usage-error'
import { colours } from './colours'

interface Flags extends HandlerOptions {
  readonly config?: string
}

/**
 * `xray-scaffold gen handler …`: a new traced function. On a TTY, what the flags leave out is
 * prompted for (the `handler` Plop generator); elsewhere a missing flag is a one-line error.
 */
export function registerGenHandler(gen: Command): void {
  gen
    .command('handler')
    .description(
      'create a traced Lambda function: handler, vitest test, config entry and infra registration',
    )
    .option('--service <id>', 'the function (kebab-case); an existing one gains the route')
    .option('--name <kebab-name>', 'what the handler does (kebab-case): names its example function')
    .option(
      '--route <route>',
      'a route "<METHOD> <path>", e.g. "GET /api/orders/{orderId}" (repeat for more)',
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .option(
      '--uses <kinds>',
      'dependencies it calls, comma-separated: postgres,redis,s3,opensearch',
    )
    .option(
      '--annotate <keys>',
      'annotations, comma-separated: userId (JWT sub) and path parameters (default: all of them)',
    )
    .option(
      '--config <file>',
      'the repository config (default: xray-scaffold.config.ts here or above)',
    )
    .option(
      '--force',
      'replace an existing handler and its test, showing the diff of what it replaced',
    )
    .action(async (_options: Flags, command: Command) => {
      const flags = command.optsWithGlobals<Flags>()
      process.exitCode = await runGenHandler(flags)
    })
}

async function runGenHandler(flags: Flags): Promise<number> {
  try {
    const config = await loadConfig(findConfigFile(process.cwd(), flags.config))
    const given: HandlerOptions = {
      service: flags.service,
      name: flags.name,
      route: flags.route,
      uses: flags.uses,
      annotate: flags.annotate,
      force: flags.force,
    }
    const missing = given.service === undefined || given.name === undefined || !given.route?.length
    let options = given
    if (missing && process.stdin.isTTY && process.stdout.isTTY) {
      // The prompts of the `handler` Plop generator; its action is run here, so that an error
      // keeps its kind (bad input exits 2) instead of becoming a Plop failure message.
      const plop = await nodePlop(undefined, { destBasePath: config.root, force: false })
      registerHandlerGenerator(plop, { given, config })
      options = withAnswers(given, await plop.getGenerator('handler').runPrompts())
    }
    print(await genHandler(config, options))
    return 0
  } catch (error) {
    if (error instanceof ManifestError) throw new UsageError(error.message)
    throw error
  }
}

function print(run: HandlerRun): void {
  const what = run.created ? 'new function' : 'existing function'
  const routes = run.routes.map((r) => `${r.method} ${r.path}`).join(', ')
  console.log(`gen handler: ${run.service} (${what})${routes ? `: ${routes}` : ''}`)
  for (const file of run.createdFiles) console.log(`  ${colours.green('created')}  ${file}`)
  for (const { file } of run.changedFiles) console.log(`  ${colours.yellow('changed')}  ${file}`)
  for (const { diff } of run.changedFiles) process.stdout.write(`\n${diff}`)
  for (const note of run.notes) console.log(`\nNote: ${note}`)
  if (run.next) console.log(`\nNext: ${run.next}`)
}
