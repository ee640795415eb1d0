import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import Handlebars from 'handlebars'
import type { ResolvedConfig, ServiceSpec } from '../manifest'
import { inOutDir } from './app-generators'
import { pathParameters } from './handler-input'

/**
 * The handler scaffold: templates kept apart from `templates/`, because `gen` regenerates
 * everything under `templates/` on every run, while a scaffold is written once and then belongs
 * to its author (DESIGN.md, "Ownership of files").
 */
export const SCAFFOLDS_DIR = fileURLToPath(new URL('../../scaffolds/handler', import.meta.url))

/** Where `gen handler` writes a service's handler and test, repository-relative. */
export function handlerPaths(config: ResolvedConfig, serviceId: string) {
  return {
    handler: inOutDir(config, `src/functions/${serviceId}.ts`),
    test: path.posix.join(config.testsDir, `${serviceId}.test.ts`),
  }
}

/**
 * Renders the handler of `service` and its vitest test (unformatted). `operation` is the
 * kebab-case name of what the handler does; it names the function holding the worked example.
 */
export async function renderHandler(
  config: ResolvedConfig,
  service: ServiceSpec,
  operation: string,
): Promise<{ handler: string; test: string }> {
  const handlebars = Handlebars.create()
  handlebars.registerHelper(
    'json',
    (value: unknown) => new Handlebars.SafeString(JSON.stringify(value)),
  )
  const paths = handlerPaths(config, service.id)
  const relative = (from: string, to: string) => {
    const text = path.posix.relative(path.posix.dirname(from), to)
    return text.startsWith('.') ? text : `./${text}`
  }
  const uses = Object.fromEntries(service.dependencies.map((kind) => [kind, true]))
  const routeParameters = Object.fromEntries(
    service.routes.map((route) => [`${route.method} ${route.path}`, pathParameters(route.path)]),
  )
  const { dependencies } = config.app
  const business: Record<string, string> = {
    postgres: 'Database Query - SELECT now',
    redis: 'Redis - Get Cache',
    opensearch: 'OpenSearch - Search',
    s3: 'S3 - Head Object',
  }
  const remote: Record<string, string> = {
    postgres: '`${process.env.POSTGRES_DB}@${process.env.POSTGRES_HOST}`',
    redis: JSON.stringify(dependencies.redis.serviceMapName),
    opensearch: JSON.stringify(dependencies.opensearch.serviceMapName),
    s3: JSON.stringify('S3'),
  }
  const order = ['postgres', 'redis', 'opensearch', 's3'].filter((kind) => uses[kind])
  const cases = service.routes.map((route) => {
    const parameters = Object.fromEntries(
      pathParameters(route.path).map((name) => [name, `test-${name}`]),
    )
    const annotations: Record<string, string> = { Service: service.id }
    for (const [key, source] of Object.entries(service.annotations)) {
      if (source.from === 'claim' && source.name === 'sub') annotations[key] = 'user-1'
      if (source.from === 'pathParameter' && source.name in parameters) {
        annotations[key] = parameters[source.name]!
      }
    }
    return {
      title: `${route.method} ${route.path}: traced, annotated, one subsegment per dependency`,
      method: route.method,
      resource: route.path,
      pathParameters: parameters,
      annotations,
    }
  })
  const context = {
    serviceId: service.id,
    functionName: `${config.app.name}-${service.id}`,
    operation: camelCase(operation),
    libPath: relative(paths.handler, inOutDir(config, 'src/lib')),
    infraPath: relative(paths.test, inOutDir(config, 'infra')),
    handlerFromTest: relative(paths.test, paths.handler),
    handlerPath: paths.handler,
    uses,
    standIn: Boolean(uses.s3 || uses.opensearch),
    routeParameters,
    annotations: service.annotations,
    s3Prefix: service.s3Prefix,
    searchIndex: service.searchIndices?.[0],
    failureMessage: `${service.id} request failed`,
    successMessage: `${operation} done`,
    describeTitle: `${service.title}, invoked as Lambda with a sampled trace`,
    cases,
    firstRoute: cases[0],
    routeWithParameters: blankParameters(
      cases.find((c) => Object.keys(c.pathParameters).length > 0),
    ),
    businessNames: order.map((kind) => business[kind]),
    remoteNames: new Handlebars.SafeString(`[${order.map((kind) => remote[kind]).join(', ')}]`),
  }
  const render = async (template: string) =>
    handlebars.compile(await readFile(path.join(SCAFFOLDS_DIR, template), 'utf8'), {
      noEscape: true,
    })(context)
  return { handler: await render('handler.ts.hbs'), test: await render('handler.test.ts.hbs') }
}

/** A case whose path parameters are all blank, for the 400 answer; undefined without any. */
function blankParameters<C extends { pathParameters: Record<string, string> }>(
  found: C | undefined,
) {
  if (!found) return undefined
  const blank = Object.fromEntries(Object.keys(found.pathParameters).map((name) => [name, ' ']))
  return { ...found, blankParameters: blank }
}

function camelCase(kebab: string): string {
  return kebab.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase())
}
