import { Command, CommanderError } from 'commander'
import { registerCodemod } from './codemod-command'
import { registerGen } from './gen-command'
import { registerTrace } from './trace-command'
import { UsageError } from './usage-error'

const NAME = 'xray-scaffold'

/**
 * The `xray-scaffold` CLI: one thin layer that parses arguments and hands over to the
 * generators, codemods and trace tools. Exit 0 on success, 1 on a failure, 2 on a usage error;
 * every error is one line on stderr.
 */
export function buildProgram(): Command {
  const program = new Command(NAME)
    .description(
      'Adds AWS X-Ray tracing to Lambda handlers and emits the CDK infrastructure around them.',
    )
    .showSuggestionAfterError()
    .exitOverride()
    .configureOutput({
      outputError: (message, write) =>
        write(`${NAME}: ${message.replace(/^error: /, '').trim()} (see --help)\n`),
    })
  registerGen(program)
  registerCodemod(program)
  registerTrace(program)
  return program
}

/** Runs the CLI on `argv` (as `process.argv`: node, script, arguments) and returns the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram()
  try {
    await program.parseAsync([...argv])
    return typeof process.exitCode === 'number' ? process.exitCode : 0
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2
    const message = error instanceof Error ? error.message : String(error)
    process.stderr.write(`${NAME}: ${message}\n`)
    return error instanceof UsageError ? 2 : 1
  }
}
