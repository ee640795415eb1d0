/**
 * Types for X-Ray segment documents, as the daemon receives them and as the published
 * segment-document reference describes them. Every field is optional at the type level because
 * the collector stores whatever arrives; `validateDocument` is what holds a document to the rules.
 */

/** One frame of a recorded exception's stack. */
export interface StackFrame {
  path?: string
  line?: number
  label?: string
}

/** An exception recorded in a `cause`. */
export interface ExceptionDocument {
  /** 16 hex digits; the reference makes it the one required exception field. */
  id?: string
  message?: string
  type?: string
  remote?: boolean
  truncated?: number
  skipped?: number
  cause?: string
  stack?: StackFrame[]
}

/** Why a (sub)segment failed: an exception id (16 hex digits) or the exceptions themselves. */
export type CauseDocument =
  | string
  | {
      working_directory?: string
      paths?: string[]
      exceptions?: ExceptionDocument[]
    }

/** The `http` block: the request served (segment) or made downstream (subsegment). */
export interface HttpDocument {
  request?: {
    method?: string
    url?: string
    user_agent?: string
    client_ip?: string
    x_forwarded_for?: boolean
    traced?: boolean
  }
  response?: { status?: number; content_length?: number }
}

/** The `sql` block of a subsegment that records a query. */
export interface SqlDocument {
  connection_string?: string
  url?: string
  sanitized_query?: string
  database_type?: string
  database_version?: string
  driver_version?: string
  user?: string
  preparation?: 'call' | 'statement'
}

/** The `aws` block: the resource the code runs on (segment) or called (subsegment). */
export interface AwsDocument {
  operation?: string
  account_id?: string
  region?: string
  request_id?: string
  queue_url?: string
  table_name?: string
  [field: string]: unknown
}

/** Annotation values the service indexes: no objects, no arrays. */
export type AnnotationValue = string | number | boolean

/** Fields segments and subsegments share. */
export interface EntityDocument {
  id: string
  name: string
  start_time: number
  end_time?: number
  in_progress?: boolean
  trace_id?: string
  parent_id?: string
  namespace?: 'aws' | 'remote' | string
  annotations?: Record<string, AnnotationValue>
  /** Namespace (`default` unless the caller names one) -> key -> value. */
  metadata?: Record<string, Record<string, unknown>>
  http?: HttpDocument
  sql?: SqlDocument
  aws?: AwsDocument
  fault?: boolean
  error?: boolean
  throttle?: boolean
  cause?: CauseDocument
  precursor_ids?: string[]
  subsegments?: SubsegmentDocument[]
  [field: string]: unknown
}

/** A subsegment, nested in its parent or (with `type`) sent on its own. */
export interface SubsegmentDocument extends EntityDocument {
  type?: 'subsegment'
}

/**
 * One document as the daemon receives it: a segment, or (with `type: 'subsegment'`) a subsegment
 * sent on its own.
 */
export interface SegmentDocument extends EntityDocument {
  trace_id: string
  type?: 'subsegment'
  origin?: string
  user?: string
  service?: { version?: string; [field: string]: unknown }
}

/**
 * A subsegment sent in its own datagram. The SDK does this for every subsegment in Lambda mode:
 * `type` is `subsegment`, `parent_id` names the parent (the facade's id, taken from the `Parent`
 * of `_X_AMZN_TRACE_ID`, for a top-level subsegment) and `trace_id` the trace.
 */
export interface IndependentSubsegmentDocument extends SegmentDocument {
  type: 'subsegment'
  parent_id: string
}
