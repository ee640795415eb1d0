import type { AppManifest, ServiceSpec } from './types'

/*
 * Checks a manifest when it is loaded, so a mistake stops the run with one line that names the
 * app or service, the field and the fix (aws-cdk-lib style), instead of surfacing later as a
 * broad IAM grant, a trace X-Ray rejects or a route API Gateway refuses. Manifests may come from
 * a user's .ts config that was never type-checked, so values the types already rule out (a
 * lowercase method, an unknown dependency kind) are checked too.
 */

/** The dependency kinds the templates know how to trace and grant access to. */
const KNOWN_KINDS: readonly string[] = ['postgres', 'redis', 's3', 'opensearch']

/** The methods a route may have. */
const HTTP_METHODS: readonly string[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']

/** Annotations the runtime's `withTracing` puts on every request itself (tracing/with-tracing.ts). */
const RUNTIME_ANNOTATION_KEYS = ['Service', 'ColdStart', 'method', 'path', 'route']

/** X-Ray indexes at most 50 annotations; the runtime's own leave the rest to the manifest. */
const XRAY_MAX_ANNOTATIONS = 50
const MAX_SERVICE_ANNOTATIONS = XRAY_MAX_ANNOTATIONS - RUNTIME_ANNOTATION_KEYS.length

/** X-Ray's rule for annotation keys: a key outside it makes X-Ray reject the whole document. */
const ANNOTATION_KEY = /^[A-Za-z0-9_]+$/

/** Lowercase letters and digits in words joined by single hyphens: `moc-instructions`. */
const KEBAB_CASE = /^[a-z0-9]+(-[a-z0-9]+)*$/

/** Characters OpenSearch refuses in an index name (besides uppercase letters), and as its first. */
const INDEX_FORBIDDEN_CHARS = [...'*\\/?"<>| ,#']
const INDEX_FORBIDDEN_FIRST = [...'-_+']
const INDEX_NAME_RULE = `a lowercase name without spaces or ${INDEX_FORBIDDEN_CHARS.filter((c) => c !== ' ').join(' ')} that does not start with ${INDEX_FORBIDDEN_FIRST.join(', ')}`

/**
 * A manifest that cannot be generated from. Its message is one line: the app or service, the
 * field, and what to change.
 *
 * @example
 * ```ts
 * try {
 *   validateManifest(manifest)
 * } catch (error) {
 *   if (error instanceof ManifestError) {
 *     console.error(error.message)
 *     process.exit(1)
 *   }
 *   throw error
 * }
 * ```
 */
export class ManifestError extends Error {
  override readonly name = 'ManifestError'
}

/**
 * Returns `app` unchanged when it is valid; otherwise throws a {@link ManifestError} for the first
 * problem found, checking the app first (name, dependency entries), then each service in order:
 * id, uniqueness of id and `constructName`, dependencies, `s3Prefix`, `searchIndices`, routes
 * (method, path, METHOD+path unique across the app), annotations (key, count, path parameter).
 *
 * @example
 * ```ts
 * import { legoApi, validateManifest } from './manifest'
 *
 * const app = validateManifest(legoApi)
 * // A gallery service using S3 without s3Prefix throws:
 * // service "gallery": dependencies include "s3" but s3Prefix is missing; set s3Prefix to the
 * // key prefix it may use (e.g. "gallery/")
 * ```
 */
export function validateManifest(app: AppManifest): AppManifest {
  checkApp(app)
  const owners: Owners = { ids: new Map(), constructNames: new Map(), routes: new Map() }
  app.services.forEach((service, index) => checkService(app, service, index, owners))
  return app
}

/** What earlier services already claimed: id → index, constructName → id, "METHOD path" → id. */
interface Owners {
  readonly ids: Map<string, number>
  readonly constructNames: Map<string, string>
  readonly routes: Map<string, string>
}

function checkApp(app: AppManifest): void {
  const fail = (problem: string): never => {
    throw new ManifestError(`app ${q(app.name)}: ${problem}`)
  }
  if (!KEBAB_CASE.test(app.name)) {
    fail(`name is not kebab-case; ${kebabFix(app.name, 'my-api')}`)
  }
  for (const [key, spec] of Object.entries(app.dependencies)) {
    if (!KNOWN_KINDS.includes(key)) {
      fail(
        `dependencies has an entry ${q(key)}, which is not a known kind; use one of ${KNOWN_KINDS.join(', ')}`,
      )
    }
    if (spec.kind !== key) {
      fail(
        `dependencies.${key} has kind ${q(spec.kind)}; set its kind to ${q(key)} (an entry's kind must equal its key)`,
      )
    }
  }
}

function checkService(app: AppManifest, service: ServiceSpec, index: number, owners: Owners): void {
  const fail = (problem: string): never => {
    throw new ManifestError(`service ${q(service.id)}: ${problem}`)
  }

  if (!KEBAB_CASE.test(service.id)) {
    fail(`id is not kebab-case; ${kebabFix(service.id, 'my-service')}`)
  }
  const firstWithId = owners.ids.get(service.id)
  if (firstWithId !== undefined) {
    fail(
      `services[${firstWithId}] and services[${index}] both have this id; give each service a unique id`,
    )
  }
  owners.ids.set(service.id, index)
  const constructOwner = owners.constructNames.get(service.constructName)
  if (constructOwner !== undefined) {
    fail(
      `constructName ${q(service.constructName)} is already used by service ${q(constructOwner)}; give each service a unique constructName (e.g. ${q(pascalCase(service.id))})`,
    )
  }
  owners.constructNames.set(service.constructName, service.id)

  for (const kind of service.dependencies) {
    if (!KNOWN_KINDS.includes(kind)) {
      fail(`dependency ${q(kind)} is not a known kind; use one of ${KNOWN_KINDS.join(', ')}`)
    }
    if (!Object.hasOwn(app.dependencies, kind)) {
      fail(
        `dependency ${q(kind)} is not declared in the app's dependencies; add a dependencies.${kind} entry to app ${q(app.name)} or remove it from the service`,
      )
    }
  }

  const usesS3 = service.dependencies.includes('s3')
  const prefix = service.s3Prefix
  const prefixExample = `(e.g. ${q(`${service.id}/`)})`
  if (usesS3 && prefix === undefined) {
    fail(
      `dependencies include "s3" but s3Prefix is missing; set s3Prefix to the key prefix it may use ${prefixExample}`,
    )
  }
  if (!usesS3 && prefix !== undefined) {
    fail(
      `s3Prefix is set but dependencies do not include "s3"; add "s3" to dependencies or remove s3Prefix`,
    )
  }
  if (prefix === '') {
    fail(
      `s3Prefix is empty, which would grant the whole bucket; set it to the key prefix it may use ${prefixExample}`,
    )
  }
  if (prefix?.includes('*')) {
    fail(
      `s3Prefix ${q(prefix)} contains "*"; give the plain key prefix ${prefixExample}, the infra adds the wildcard`,
    )
  }
  if (prefix !== undefined && !prefix.endsWith('/')) {
    fail(
      `s3Prefix ${q(prefix)} does not end in "/", so it would also match ${q(`${prefix}-other/`)}; end it with "/" (e.g. ${q(`${prefix}/`)})`,
    )
  }

  const usesSearch = service.dependencies.includes('opensearch')
  const indices = service.searchIndices
  const indicesExample = `(e.g. [${q(service.id)}])`
  if (usesSearch && indices === undefined) {
    fail(
      `dependencies include "opensearch" but searchIndices is missing; set searchIndices to the indices it may query ${indicesExample}`,
    )
  }
  if (!usesSearch && indices !== undefined) {
    fail(
      `searchIndices is set but dependencies do not include "opensearch"; add "opensearch" to dependencies or remove searchIndices`,
    )
  }
  if (indices?.length === 0) {
    fail(`searchIndices is empty; list the indices it may query ${indicesExample}`)
  }
  for (const name of indices ?? []) {
    const problem = indexNameProblem(name)
    if (problem) {
      fail(
        `searchIndices entry ${q(name)} is not a valid OpenSearch index name (${problem}); use ${INDEX_NAME_RULE}`,
      )
    }
  }

  const pathParameters = new Set<string>()
  service.routes.forEach((route, i) => {
    if (!HTTP_METHODS.includes(route.method)) {
      const upper = String(route.method).toUpperCase()
      const fix = HTTP_METHODS.includes(upper)
        ? `write it in uppercase (${q(upper)})`
        : 'use one of them'
      fail(
        `routes[${i}] method ${q(route.method)} is not one of ${HTTP_METHODS.join(', ')}; ${fix}`,
      )
    }
    const problem = pathProblem(route.path)
    if (problem) fail(`routes[${i}] path ${q(route.path)} ${problem}`)
    for (const name of parameterNames(route.path)) pathParameters.add(name)

    const routeKey = `${route.method} ${route.path}`
    const owner = owners.routes.get(routeKey)
    if (owner === service.id) fail(`route ${q(routeKey)} is listed twice; remove one of them`)
    if (owner !== undefined) {
      fail(
        `route ${q(routeKey)} is also served by service ${q(owner)}; a method and path go to one function only, so remove it from one of the two services`,
      )
    }
    owners.routes.set(routeKey, service.id)
  })

  const keys = Object.keys(service.annotations)
  for (const key of keys) {
    if (!ANNOTATION_KEY.test(key)) {
      const suggestion = key.replace(/[^A-Za-z0-9_]/g, '_')
      fail(
        `annotation key ${q(key)} is not a valid X-Ray annotation key; use only letters, digits and underscores${suggestion ? ` (e.g. ${q(suggestion)})` : ''}`,
      )
    }
    if (RUNTIME_ANNOTATION_KEYS.includes(key)) {
      fail(
        `annotation key ${q(key)} is one withTracing already sets on every request (${RUNTIME_ANNOTATION_KEYS.join(', ')}); choose another key`,
      )
    }
  }
  if (keys.length > MAX_SERVICE_ANNOTATIONS) {
    fail(
      `${keys.length} annotations are configured but at most ${MAX_SERVICE_ANNOTATIONS} fit: X-Ray indexes ${XRAY_MAX_ANNOTATIONS} and withTracing adds ${RUNTIME_ANNOTATION_KEYS.join(', ')} itself; record the rest as metadata`,
    )
  }
  for (const [key, source] of Object.entries(service.annotations)) {
    if (source.from !== 'pathParameter' || pathParameters.has(source.name)) continue
    const known = [...pathParameters].map(q).join(', ')
    const fix = known
      ? `use a parameter its routes have (${known})`
      : `add a route with ${q(`{${source.name}}`)} in its path`
    fail(
      `annotation ${q(key)} reads path parameter ${q(source.name)}, which no route of the service has in its path; ${fix} or remove the annotation`,
    )
  }
}

/** Why `path` is not a REST API resource path, with the fix; undefined when it is one. */
function pathProblem(path: string): string | undefined {
  if (!path.startsWith('/')) {
    return `does not start with "/"; write it from the API root (e.g. ${q(`/${path}`)})`
  }
  const unbalanced = 'has unbalanced braces; write each path parameter as "{name}"'
  let open = -1
  for (let i = 0; i < path.length; i++) {
    if (path[i] === '{') {
      if (open !== -1) return unbalanced
      open = i
    } else if (path[i] === '}') {
      if (open === -1) return unbalanced
      if (i === open + 1) return 'has an empty "{}"; name the parameter (e.g. "{id}")'
      open = -1
    }
  }
  return open === -1 ? undefined : unbalanced
}

/** The path parameters of a valid path: `/api/mocs/{id}` → `id`, `/files/{proxy+}` → `proxy`. */
function parameterNames(path: string): string[] {
  return [...path.matchAll(/\{([^{}]+?)\+?\}/g)].map((match) => match[1])
}

/** Why OpenSearch would refuse `name` as an index name; undefined when it would accept it. */
function indexNameProblem(name: string): string | undefined {
  if (name === '') return 'it is empty'
  if (name !== name.toLowerCase()) return 'it has uppercase letters'
  const forbidden = INDEX_FORBIDDEN_CHARS.find((c) => name.includes(c))
  if (forbidden !== undefined) {
    return forbidden === ' ' ? 'it contains a space' : `it contains ${q(forbidden)}`
  }
  if (INDEX_FORBIDDEN_FIRST.includes(name[0])) return `it starts with ${q(name[0])}`
  return undefined
}

function kebabFix(value: string, fallback: string): string {
  return `use lowercase letters, digits and single hyphens (e.g. ${q(kebabCase(value) || fallback)})`
}

function kebabCase(value: string): string {
  return value
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
}

function pascalCase(kebab: string): string {
  return kebab
    .split('-')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('')
}

/** Quotes a value as JSON does, so a newline or quote in it cannot break the one-line message. */
function q(value: unknown): string {
  return JSON.stringify(value) ?? String(value)
}
