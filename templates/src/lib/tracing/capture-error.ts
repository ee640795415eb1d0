import { currentSegment, isFacade, isRecording, recordFault } from './sdk'

/**
 * Records an error that handler code caught (and turns into a response) on the current
 * subsegment: fault flag, exception with message and stack. Without it a caught error leaves
 * no trace in X-Ray. Does nothing outside a trace, on an unsampled trace, or on the facade.
 *
 * @example
 * ```ts
 * try {
 *   return await createMoc(event)
 * } catch (error) {
 *   captureError(error)
 *   logger.error('Failed to create MOC', error)
 *   return serverError()
 * }
 * ```
 */
export function captureError(error: unknown): void {
  const segment = currentSegment()
  if (!segment || !isRecording(segment) || isFacade(segment)) return
  recordFault(segment, error)
}
