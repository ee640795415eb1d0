import {
  validateManifest,
  type AnnotationSource,
  type AppManifest,
  type RouteSpec,
  type ServiceSpec,
} from '../manifest'
import { pathParameters, type HandlerInput } from './handler-input'

/** How `gen handler` changes an app's manifest. */
export interface ServiceChange {
  /** The app with the change, validated. */
  readonly app: AppManifest
  /** The service as it now stands. */
  readonly service: ServiceSpec
  /** True when the service is new (a new function). */
  readonly created: boolean
  /** Routes the service gained (none when they were all there). */
  readonly addedRoutes: readonly RouteSpec[]
  /** Annotations and dependencies the service gained. */
  readonly addedAnnotations: Readonly<Record<string, AnnotationSource>>
  readonly addedDependencies: readonly ServiceSpec['dependencies'][number][]
}

/**
 * Adds the requested function to `app`: a new service for a new id, or the routes, dependencies
 * and annotations it lacks for an existing one. The result is validated as any manifest is, so a
 * route another function serves, a path parameter that is no valid annotation key or an
 * annotation on a parameter no route has is a one-line {@link ManifestError}.
 */
export function addService(app: AppManifest, input: HandlerInput): ServiceChange {
  const existing = app.services.find((service) => service.id === input.service)
  const annotations = input.annotations ?? defaultAnnotations(input.routes)
  if (!existing) {
    const service: ServiceSpec = {
      id: input.service,
      title: titleOf(input.service),
      constructName: pascalCase(input.service),
      routes: input.routes,
      annotations,
      dependencies: input.uses,
      ...(input.uses.includes('s3') ? { s3Prefix: `${input.service}/` } : {}),
      ...(input.uses.includes('opensearch') ? { searchIndices: [input.service] } : {}),
    }
    const next = validateManifest({ ...app, services: [...app.services, service] })
    return {
      app: next,
      service,
      created: true,
      addedRoutes: input.routes,
      addedAnnotations: annotations,
      addedDependencies: input.uses,
    }
  }
  const has = (route: RouteSpec) =>
    existing.routes.some((r) => r.method === route.method && r.path === route.path)
  const addedRoutes = input.routes.filter((route) => !has(route))
  const addedAnnotations = Object.fromEntries(
    Object.entries(annotations).filter(([key]) => !(key in existing.annotations)),
  )
  const addedDependencies = input.uses.filter((kind) => !existing.dependencies.includes(kind))
  const service: ServiceSpec = {
    ...existing,
    routes: [...existing.routes, ...addedRoutes],
    annotations: { ...existing.annotations, ...addedAnnotations },
    dependencies: [...existing.dependencies, ...addedDependencies],
    ...(addedDependencies.includes('s3') ? { s3Prefix: `${existing.id}/` } : {}),
    ...(addedDependencies.includes('opensearch') ? { searchIndices: [existing.id] } : {}),
  }
  const next = validateManifest({
    ...app,
    services: app.services.map((s) => (s.id === service.id ? service : s)),
  })
  return { app: next, service, created: false, addedRoutes, addedAnnotations, addedDependencies }
}

/** `userId` from the JWT `sub`, and each path parameter of the routes under its own name. */
function defaultAnnotations(routes: HandlerInput['routes']): Record<string, AnnotationSource> {
  const annotations: Record<string, AnnotationSource> = { userId: { from: 'claim', name: 'sub' } }
  for (const route of routes) {
    for (const name of pathParameters(route.path)) {
      annotations[name] = { from: 'pathParameter', name }
    }
  }
  return annotations
}

const words = (kebab: string) => kebab.split('-').map((w) => w.charAt(0).toUpperCase() + w.slice(1))
const titleOf = (kebab: string) => words(kebab).join(' ')
const pascalCase = (kebab: string) => words(kebab).join('')
