import type { AppManifest, HttpMethod, RouteSpec, ServiceSpec } from '../manifest/types'

const METHODS: readonly HttpMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']

/** A request that names no service or route of the app; the message lists what exists. */
export class RouteNotFoundError extends Error {
  override readonly name = 'RouteNotFoundError'
}

/** One route of one service, with the values a concrete path gave its `{params}`. */
export interface RouteTarget {
  readonly service: ServiceSpec
  readonly route: RouteSpec
  /** Values taken from a concrete path (`/api/mocs/42`); absent when the template was given. */
  readonly pathParameters?: Record<string, string>
  /** The query string of the request, if it had one. */
  readonly query?: Record<string, string>
  /** True when the path was the route's template: the route's seed then provides the values. */
  readonly template: boolean
}

/**
 * Finds the route `"<METHOD> <path>"` of a service: the path is either the template
 * (`/api/mocs/{id}`) or a concrete path (`/api/mocs/42?x=1`) whose segments fill its params.
 *
 * @example
 * resolveRoute(legoApi, 'moc-instructions', 'GET /api/mocs/{id}').route.path // '/api/mocs/{id}'
 */
export function resolveRoute(app: AppManifest, serviceId: string, request: string): RouteTarget {
  const service = app.services.find((s) => s.id === serviceId)
  if (!service) {
    throw new RouteNotFoundError(
      `no service "${serviceId}" in ${app.name}; its services are ${app.services.map((s) => s.id).join(', ')}`,
    )
  }
  const match = /^\s*([A-Za-z]+)\s+(\S+)\s*$/.exec(request)
  const method = match?.[1]?.toUpperCase() as HttpMethod | undefined
  if (!match || !method || !METHODS.includes(method)) {
    throw new RouteNotFoundError(
      `"${request}" is not "<METHOD> <path>" (for example "GET /api/mocs/{id}")`,
    )
  }
  const [pathPart = '', queryPart] = match[2]!.split('?', 2)
  const query = queryPart ? Object.fromEntries(new URLSearchParams(queryPart)) : undefined
  for (const route of service.routes) {
    if (route.method !== method) continue
    if (route.path === pathPart) return { service, route, query, template: true }
    const pathParameters = matchTemplate(route.path, pathPart)
    if (pathParameters) return { service, route, pathParameters, query, template: false }
  }
  const routes = service.routes.map((r) => `${r.method} ${r.path}`).join(', ')
  throw new RouteNotFoundError(
    `${service.id} has no route ${method} ${pathPart}; its routes are ${routes}`,
  )
}

/** The `{param}` values of `path` under `template`, or undefined when it does not match. */
function matchTemplate(template: string, path: string): Record<string, string> | undefined {
  const names = template.split('/')
  const values = path.split('/')
  if (names.length !== values.length) return undefined
  const params: Record<string, string> = {}
  for (const [i, name] of names.entries()) {
    const value = values[i]!
    const param = /^\{(\w+)\+?\}$/.exec(name)
    if (param) {
      if (value === '') return undefined
      params[param[1]!] = decodeURIComponent(value)
    } else if (name !== value) return undefined
  }
  return params
}
