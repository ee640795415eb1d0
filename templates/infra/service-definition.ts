/** A backing service a function may call; each one maps to a grant and a network rule. */
export type DependencyKind = 'postgres' | 'redis' | 's3' | 'opensearch'

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

/** One API Gateway route served by a function. */
export interface RouteDefinition {
  readonly method: HttpMethod
  /** REST API resource path with `{param}` placeholders: `/api/mocs/{id}`. */
  readonly path: string
}

/** One Lambda service of the API, as the infrastructure needs it. */
export interface ServiceDefinition {
  /** Kebab-case id: the handler file name (`src/functions/<id>.ts`) and the `Service` annotation. */
  readonly id: string
  /** Display name used in dashboard titles. */
  readonly title: string
  /** PascalCase name used in construct ids. */
  readonly constructName: string
  readonly routes: readonly RouteDefinition[]
  /** Exactly what the function may reach: nothing else is granted. */
  readonly dependencies: readonly DependencyKind[]
  /** S3 key prefix the function may read and write; required when it uses S3. */
  readonly s3Prefix?: string
  /** OpenSearch indices the function may query and write; required when it uses OpenSearch. */
  readonly searchIndices?: readonly string[]
}
