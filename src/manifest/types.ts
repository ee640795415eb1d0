/**
 * The shape of a manifest: the services of an API as data. Generators, the codemod and the
 * infra templates read it; nothing else describes the services.
 */

/** A backing service a Lambda function calls. */
export type DependencyKind = 'postgres' | 'redis' | 's3' | 'opensearch'

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

/** One API Gateway route served by a function. */
export interface RouteSpec {
  readonly method: HttpMethod
  /** REST API resource path, with `{param}` placeholders: `/api/mocs/{id}`. */
  readonly path: string
}

/** Where an annotation's value is read from in the incoming API Gateway event. */
export type AnnotationSource =
  /** A claim of the Cognito authorizer (`requestContext.authorizer.claims` in v1, `.jwt.claims` in v2). */
  | { readonly from: 'claim'; readonly name: string }
  /** A path parameter (`event.pathParameters[name]`). */
  | { readonly from: 'pathParameter'; readonly name: string }

/** How a dependency is reached by the code and drawn on the X-Ray service map. */
export interface DependencySpec {
  readonly kind: DependencyKind
  /** Human label used in business subsegment names: "Database Query", "Redis", "S3", "OpenSearch". */
  readonly label: string
  /** Module (relative to the app's `src/`) that exports the client, in the untraced and the traced code alike. */
  readonly module: string
  /** The client exports handlers call (`db`, `redis`, `s3`, `search`). */
  readonly exports: readonly string[]
  /** Environment variables the client reads. */
  readonly env: readonly string[]
  /**
   * Name of the node on the service map. For Postgres and S3 the captures name it as the official
   * ones do (`database@host`, the service name `S3`); for Redis and OpenSearch our traced clients
   * use this value.
   */
  readonly serviceMapName: string
}

/** One Lambda function of the API. */
export interface ServiceSpec {
  /** Kebab-case id; also the handler file name and the `Service` annotation. */
  readonly id: string
  /** Display name used in the infra (construct ids, dashboard titles). */
  readonly title: string
  /** PascalCase name for construct ids: `MocInstructions`. */
  readonly constructName: string
  readonly routes: readonly RouteSpec[]
  /** Annotation key → where its value comes from. Keys follow X-Ray's `^[a-zA-Z0-9_]+$`. */
  readonly annotations: Readonly<Record<string, AnnotationSource>>
  readonly dependencies: readonly DependencyKind[]
  /** S3 key prefix the function may read and write (least privilege); required when it uses S3. */
  readonly s3Prefix?: string
  /** OpenSearch indices the function queries; required when it uses OpenSearch. */
  readonly searchIndices?: readonly string[]
}

/** A whole API: its services and the dependencies they share. */
export interface AppManifest {
  /** Kebab-case app name: the folder under `generated/` and the API name. */
  readonly name: string
  readonly services: readonly ServiceSpec[]
  readonly dependencies: Readonly<Record<DependencyKind, DependencySpec>>
}
