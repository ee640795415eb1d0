import type { AppManifest, DependencySpec, ServiceSpec } from '../manifest'

/** What every template sees: the manifest, its services and dependencies as lists, and versions. */
export interface TemplateContext {
  readonly app: AppManifest
  readonly services: readonly ServiceSpec[]
  readonly dependencies: readonly DependencySpec[]
  /**
   * Version ranges of the packages the generated app uses, taken from xray-scaffold's own
   * package.json: the generated code depends on exactly what its tests ran against.
   */
  readonly versions: Readonly<Record<string, string>>
}

export function templateContext(
  app: AppManifest,
  versions: Readonly<Record<string, string>>,
): TemplateContext {
  return { app, services: app.services, dependencies: Object.values(app.dependencies), versions }
}
