import type { NodePlopAPI } from 'node-plop'
import { findConfigFile, loadConfig, type ResolvedConfig } from '../manifest'
import { genHandler, type HandlerRun } from './gen-handler'
import { DEPENDENCY_KINDS, pathParameters, type HandlerOptions } from './handler-input'

/** The options of a `handler` run: what was already given (the rest is prompted for). */
export interface HandlerGeneratorOptions {
  readonly given?: HandlerOptions
  /** @default the config found from the working directory upwards */
  readonly config?: ResolvedConfig
  /** Receives the run's result (the CLI prints it). */
  readonly onRun?: (run: HandlerRun) => void
}

/** The flags given, completed with the answers of the `handler` prompts. */
export function withAnswers(given: HandlerOptions, answers: unknown): HandlerOptions {
  const a = answers as Answers
  return {
    ...given,
    service: given.service ?? a.service,
    name: given.name ?? a.name,
    route: given.route?.length ? given.route : a.route ? [a.route] : undefined,
    uses: given.uses ?? a.uses,
    annotate: given.annotate ?? a.annotate,
  }
}

/** The functions a config already has, for the first prompt. */
function existing(config: ResolvedConfig | undefined): string {
  const ids = config?.app.services.map((service) => service.id) ?? []
  return ids.length > 0 ? `: ${ids.join(', ')}` : ''
}

/** The answers of the `handler` prompts. */
interface Answers {
  service?: string
  name?: string
  route?: string
  uses?: string[]
  annotate?: string
}

/**
 * Registers the `handler` Plop generator: prompts (inquirer, through Plop) for what `given` lacks,
 * with choices listed and defaults shown, then runs {@link genHandler}. `npx plop handler` runs
 * it with everything prompted; `xray-scaffold gen handler` on a TTY with the flags given.
 */
export function registerHandlerGenerator(
  plop: NodePlopAPI,
  options: HandlerGeneratorOptions = {},
): void {
  const given = options.given ?? {}
  plop.setActionType('gen-handler', async (answers) => {
    const config = options.config ?? (await loadConfig(findConfigFile(process.cwd())))
    const run = await genHandler(config, withAnswers(given, answers))
    options.onRun?.(run)
    return `${run.createdFiles.length} created, ${run.changedFiles.length} changed`
  })
  plop.setGenerator('handler', {
    description: 'a new traced Lambda function: handler, test, config entry, infra registration',
    prompts: [
      {
        type: 'input',
        name: 'service',
        message: `Function (kebab-case service id; an existing one gains the route${existing(options.config)})`,
        when: () => given.service === undefined,
      },
      {
        type: 'input',
        name: 'name',
        message: 'Name of what it does (kebab-case)',
        default: 'get-item',
        when: () => given.name === undefined,
      },
      {
        type: 'input',
        name: 'route',
        message: 'Route (METHOD /path, {param} for path parameters)',
        default: (answers: Answers) =>
          `GET /api/${answers.service ?? given.service ?? 'items'}/{id}`,
        when: () => !given.route?.length,
      },
      {
        type: 'checkbox',
        name: 'uses',
        message: 'Dependencies it calls',
        choices: DEPENDENCY_KINDS.map((kind) => ({ name: kind, value: kind })),
        when: () => given.uses === undefined,
      },
      {
        type: 'input',
        name: 'annotate',
        message: 'Annotations (userId from the JWT, path parameters by name)',
        default: (answers: Answers) =>
          ['userId', ...pathParameters(answers.route ?? given.route?.[0] ?? '')].join(','),
        when: () => given.annotate === undefined,
      },
    ],
    actions: [{ type: 'gen-handler' } as never],
  })
}
