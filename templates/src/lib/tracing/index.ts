/**
 * The tracing runtime: the whole API handler code uses. No aws-xray-sdk-core type appears
 * here, so an OpenTelemetry backend can replace the SDK without touching a handler.
 */
import './sdk'

export { withTracing, type TracingConfig, type AnnotationSource } from './with-tracing'
export { traced } from './traced'
export type { Span, SpanOptions } from './span'
export { captureError } from './capture-error'
export { logger, type Logger, type LogLevel } from './logger'
export { isValidAnnotationKey, type AnnotationValue } from './annotations'
