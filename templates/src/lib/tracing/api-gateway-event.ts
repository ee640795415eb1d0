import type { APIGatewayProxyEvent, APIGatewayProxyEventV2 } from 'aws-lambda'

/** The parts of an API Gateway event the handler subsegment records, for REST (v1) and HTTP (v2). */
export interface RequestFacts {
  method?: string
  path?: string
  /** The resource template (`/api/mocs/{id}`), shared by every request to the route. */
  route?: string
  requestId?: string
  stage?: string
  claims: Record<string, unknown>
  pathParameters: Record<string, string | undefined>
}

function isV2(
  event: APIGatewayProxyEvent | APIGatewayProxyEventV2,
): event is APIGatewayProxyEventV2 {
  return (event as APIGatewayProxyEventV2).version === '2.0' || 'routeKey' in event
}

/**
 * Reads method, path, route, request id, stage, authorizer claims and path parameters from a
 * REST (v1) or HTTP API (v2) proxy event. Claims come from the Cognito authorizer
 * (`requestContext.authorizer.claims`) in v1 and the JWT authorizer
 * (`requestContext.authorizer.jwt.claims`) in v2. Missing parts are `undefined`, never a throw.
 *
 * @example
 * ```ts
 * const { method, route, claims } = requestFacts(event)
 * // 'GET', '/api/mocs/{id}', { sub: 'user-1' }
 * ```
 */
export function requestFacts(event: APIGatewayProxyEvent | APIGatewayProxyEventV2): RequestFacts {
  if (!event || typeof event !== 'object') return { claims: {}, pathParameters: {} }
  if (isV2(event)) {
    const context = event.requestContext
    // Only events from a route with a JWT authorizer carry `authorizer`; the base type omits it.
    const authorizer = (context as { authorizer?: { jwt?: { claims?: Record<string, unknown> } } })
      ?.authorizer
    // routeKey is "GET /api/mocs/{id}" (or "$default"): the template is what follows the method.
    const routeKey = event.routeKey
    const route = routeKey?.includes(' ') ? routeKey.slice(routeKey.indexOf(' ') + 1) : routeKey
    return {
      method: context?.http?.method,
      path: event.rawPath ?? context?.http?.path,
      route,
      requestId: context?.requestId,
      stage: context?.stage,
      claims: authorizer?.jwt?.claims ?? {},
      pathParameters: event.pathParameters ?? {},
    }
  }
  const context = event.requestContext
  const authorizer = context?.authorizer as { claims?: Record<string, unknown> } | null | undefined
  return {
    method: event.httpMethod,
    path: event.path,
    route: event.resource,
    requestId: context?.requestId,
    stage: context?.stage,
    claims: authorizer?.claims ?? {},
    pathParameters: event.pathParameters ?? {},
  }
}
