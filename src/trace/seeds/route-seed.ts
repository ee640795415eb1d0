/**
 * What a route needs before it can answer with a full trace (a row to read, an object to
 * presign, a document to find), put in place by the route runner just before it invokes the
 * function. Seeds are data about one app; the runner takes them as a parameter.
 */

/** The request a seed prepares: values for the route's `{params}`, its query and its body. */
export interface SeededRequest {
  readonly pathParameters?: Record<string, string>
  readonly query?: Record<string, string>
  /** Sent as JSON unless it is a string. */
  readonly body?: unknown
}

/** The local backends a seed may write to, as the function will see them. */
export interface SeedContext {
  /** The Cognito `sub` the request carries. */
  readonly userId: string
  /** The bucket the function reads (`S3_BUCKET`). */
  readonly bucket: string
  /** Runs one statement on the local Postgres. */
  query(text: string, values?: unknown[]): Promise<Record<string, unknown>[]>
  /** Stores an object in the loopback S3. */
  putObject(key: string, body: Buffer, contentType: string): Promise<void>
  /** Indexes a document in the loopback OpenSearch. */
  indexDocument(index: string, id: string, source: Record<string, unknown>): Promise<void>
  /** Deletes Redis keys, so a cached answer from an earlier run does not hide the database. */
  deleteKeys(...keys: string[]): Promise<void>
}

/** Prepares one route. */
export type RouteSeed = (context: SeedContext) => Promise<SeededRequest>

/**
 * An app's seeds, keyed `"<METHOD> <route template>"` (`"GET /api/mocs/{id}"`). A route without
 * a seed is invoked as it is (path parameters then need concrete values).
 */
export type AppSeeds = Readonly<Record<string, RouteSeed>>

/** The key of a route in {@link AppSeeds}. */
export function seedKey(method: string, route: string): string {
  return `${method} ${route}`
}
