import type { APIGatewayProxyEvent } from 'aws-lambda'

/**
 * The caller's user id: the `sub` claim the Cognito authorizer put on the request.
 * Undefined when the route was reached without an authorizer (misconfigured stage, local calls).
 */
export function getUserId(event: APIGatewayProxyEvent): string | undefined {
  const sub: unknown = event.requestContext.authorizer?.claims?.sub
  return typeof sub === 'string' && sub !== '' ? sub : undefined
}
