import {
  ManifestError,
  type AnnotationSource,
  type DependencyKind,
  type HttpMethod,
} from '../manifest'

/** What `gen handler` is asked for, as typed (flags or prompts). */
export interface HandlerOptions {
  readonly service?: string
  readonly name?: string
  readonly route?: readonly string[]
  /** Comma-separated dependency kinds, or a list. */
  readonly uses?: string | readonly string[]
  /** Comma-separated annotation keys (`userId`, a path parameter, or `key=parameter`). */
  readonly annotate?: string | readonly string[]
  readonly force?: boolean
}

/** A checked request: every value valid on its own (the app-level checks come after). */
export interface HandlerInput {
  readonly service: string
  /** Kebab-case name of the operation the handler implements (`get-order`). */
  readonly name: string
  readonly routes: readonly { readonly method: HttpMethod; readonly path: string }[]
  readonly uses: readonly DependencyKind[]
  /** Undefined: `userId` and every path parameter of the routes. */
  readonly annotations?: Readonly<Record<string, AnnotationSource>>
  readonly force: boolean
}

/** The dependency kinds a handler may use, in the order the worked example calls them. */
export const DEPENDENCY_KINDS: readonly DependencyKind[] = ['postgres', 'redis', 'opensearch', 's3']
export const HTTP_METHODS: readonly HttpMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']

/** Lowercase words joined by single hyphens, starting with a letter: `get-order`. */
const KEBAB_CASE = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/

/**
 * Names a handler may not have: JavaScript's reserved words (the name becomes a function
 * name), names the handler module already uses, and names tools give a meaning to.
 */
const RESERVED = new Set(
  (
    'break case catch class const continue debugger default delete do else enum export extends ' +
    'false finally for function if import in instanceof new null return super switch this throw ' +
    'true try typeof var void while with yield let static implements interface package private ' +
    'protected public await arguments eval undefined handler json routes index constructor ' +
    'prototype node-modules'
  ).split(' '),
)

/**
 * Checks what was typed and returns it parsed. Throws a {@link ManifestError} with one line
 * naming the flag and the fix: the CLI exits 2 with it, before anything is written.
 *
 * @example
 * ```ts
 * parseHandlerOptions({ service: 'orders', name: 'get-order', route: ['GET /api/orders/{orderId}'], uses: 'postgres' })
 * ```
 */
export function parseHandlerOptions(options: HandlerOptions): HandlerInput {
  const service = kebabName('--service', options.service)
  const name = kebabName('--name', options.name)
  const routeTexts = options.route ?? []
  if (routeTexts.length === 0) {
    fail('--route is missing; give one like --route "GET /api/items/{itemId}"')
  }
  const routes = routeTexts.map(parseRoute)
  const uses = listOf(options.uses).map((kind) => {
    if (!(DEPENDENCY_KINDS as readonly string[]).includes(kind)) {
      fail(
        `--uses ${q(kind)} is not a dependency xray-scaffold traces; use some of ${DEPENDENCY_KINDS.join(',')}`,
      )
    }
    return kind as DependencyKind
  })
  const annotateKeys = listOf(options.annotate)
  return {
    service,
    name,
    routes,
    uses: DEPENDENCY_KINDS.filter((kind) => uses.includes(kind)),
    annotations: annotateKeys.length > 0 ? annotationsOf(annotateKeys) : undefined,
    force: options.force ?? false,
  }
}

/** The path parameters of a route path: `/api/orders/{orderId}` → `orderId`. */
export function pathParameters(path: string): string[] {
  return [...path.matchAll(/\{([^{}]+?)\+?\}/g)].map((match) => match[1]!)
}

function kebabName(flag: string, value: string | undefined): string {
  if (value === undefined) fail(`${flag} is missing; give a kebab-case name like ${flag} get-order`)
  if (value === '') fail(`${flag} is empty; give a kebab-case name like get-order`)
  if (/[/\\]|^\.|\.\./.test(value)) {
    fail(`${flag} ${q(value)} is a path; give a bare kebab-case name like get-order`)
  }
  if (!KEBAB_CASE.test(value)) {
    fail(
      `${flag} ${q(value)} is not kebab-case; use lowercase letters, digits and single hyphens, starting with a letter (e.g. get-order)`,
    )
  }
  if (RESERVED.has(value))
    fail(`${flag} ${q(value)} is a reserved word; choose another name (e.g. ${value}-item)`)
  return value
}

function parseRoute(text: string): { method: HttpMethod; path: string } {
  const match = /^\s*(\S+)\s+(\S+)\s*$/.exec(text)
  if (!match)
    fail(`--route ${q(text)} is not "<METHOD> <path>"; write it like "GET /api/items/{itemId}"`)
  const [, method, path] = match!
  if (!(HTTP_METHODS as readonly string[]).includes(method!)) {
    fail(
      `--route ${q(text)}: ${q(method)} is not an HTTP method; use one of ${HTTP_METHODS.join(', ')}`,
    )
  }
  if (!path!.startsWith('/'))
    fail(
      `--route ${q(text)}: the path does not start with "/"; write it from the API root (e.g. "/${path}")`,
    )
  let depth = 0
  for (const char of path!) {
    depth += char === '{' ? 1 : char === '}' ? -1 : 0
    if (depth < 0 || depth > 1) break
  }
  if (depth !== 0)
    fail(`--route ${q(text)}: the path has unbalanced braces; write each path parameter as {name}`)
  return { method: method as HttpMethod, path: path! }
}

function annotationsOf(keys: readonly string[]): Record<string, AnnotationSource> {
  const annotations: Record<string, AnnotationSource> = {}
  for (const entry of keys) {
    const [key, parameter] = entry.includes('=') ? entry.split('=', 2) : [entry, entry]
    annotations[key!] =
      key === 'userId' && parameter === 'userId'
        ? { from: 'claim', name: 'sub' }
        : { from: 'pathParameter', name: parameter! }
  }
  return annotations
}

function listOf(value: string | readonly string[] | undefined): string[] {
  const items = typeof value === 'string' ? [value] : (value ?? [])
  return items
    .flatMap((item) => item.split(','))
    .map((item) => item.trim())
    .filter(Boolean)
}

function fail(message: string): never {
  throw new ManifestError(message)
}

const q = (value: unknown) => JSON.stringify(value)
