/**
 * The runtime's handler API as the outputs call it (`generated/lego-api/src/lib/tracing`), with
 * the same signatures and no tracing: enough for the outputs to type-check.
 */
import type { APIGatewayProxyEvent, APIGatewayProxyEventV2, Context } from 'aws-lambda'

type AnnotationSource = { from: 'claim'; name: string } | { from: 'pathParameter'; name: string }

export function withTracing<E extends APIGatewayProxyEvent | APIGatewayProxyEventV2, R>(
  _config: { service: string; annotations?: Record<string, AnnotationSource> },
  handler: (event: E, context: Context) => Promise<R>,
): (event: E, context: Context) => Promise<R> {
  return handler
}

export async function traced<T>(
  _name: string,
  _options: {
    annotations?: Record<string, string | number | boolean | undefined>
    metadata?: Record<string, unknown>
  },
  fn: () => T | PromiseLike<T>,
): Promise<T> {
  return await fn()
}

export function captureError(_error: unknown): void {}

const log = (_message: string, _extra?: unknown): void => undefined

export const logger = { debug: log, info: log, warn: log, error: log }
