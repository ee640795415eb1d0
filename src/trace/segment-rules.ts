import type { SegmentDocument } from './segment-document'

/*
 * The rules of the published segment-document reference (AWS X-Ray Developer Guide, "AWS X-Ray
 * segment documents") and of its annotation requirements. Each check returns a problem naming the
 * path of the offending (sub)segment, so a failing test says where the document went wrong.
 */

/** Largest segment document the service accepts ("up to 64 kB"), in bytes of UTF-8 JSON. */
export const MAX_DOCUMENT_BYTES = 64 * 1024
/** Longest segment name. */
export const MAX_NAME_LENGTH = 200
/** Most annotations the guide allows (stated per trace; this validator checks each (sub)segment, `validateTrace` the whole trace). */
export const MAX_ANNOTATIONS = 50
/** Longest annotation string value ("up to 1,000 Unicode characters"). */
export const MAX_ANNOTATION_VALUE_LENGTH = 1000

const ID = /^[0-9a-f]{16}$/
const TRACE_ID = /^1-[0-9a-f]{8}-[0-9a-f]{24}$/
const ANNOTATION_KEY = /^[a-zA-Z0-9_]{1,500}$/
/** Unicode letters, numbers, whitespace and _ . : / % & # = + \ - @ */
const NAME = /^[\p{L}\p{N}\s_.:/%&#=+\\\-@]+$/u
/** Epoch seconds between 2001 and 2286: catches milliseconds and ISO strings passed as times. */
const EPOCH_SECONDS = { min: 1e9, max: 1e10 }

type Json = Record<string, unknown>

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/**
 * Checks one received document (a segment, or a subsegment sent on its own) and every subsegment
 * nested in it against the published rules. Returns the problems found; empty means valid.
 * Pass `raw` (the JSON body as sent) to measure the size exactly; otherwise it is re-serialized.
 *
 * @example
 * for (const { document, raw } of collector.received()) {
 *   expect(validateDocument(document, raw)).toEqual([])
 * }
 */
export function validateDocument(doc: unknown, raw?: string): string[] {
  if (!isObject(doc)) return ['document: not a JSON object']
  const problems: string[] = []
  const size = Buffer.byteLength(raw ?? JSON.stringify(doc), 'utf8')
  if (size > MAX_DOCUMENT_BYTES) {
    problems.push(`document: ${size} bytes, more than the ${MAX_DOCUMENT_BYTES} allowed`)
  }

  const where = `document ${describe(doc)}`
  if (doc.type !== undefined && doc.type !== 'subsegment') {
    problems.push(`${where}: type must be "subsegment" when present, got ${show(doc.type)}`)
  }
  // Both kinds of document need the trace id; a subsegment sent on its own also needs its parent.
  if (doc.trace_id === undefined) problems.push(`${where}: trace_id missing`)
  else if (typeof doc.trace_id !== 'string' || !TRACE_ID.test(doc.trace_id)) {
    problems.push(`${where}: trace_id ${show(doc.trace_id)} is not 1-<8 hex>-<24 hex>`)
  }
  if (doc.type === 'subsegment' && doc.parent_id === undefined) {
    problems.push(`${where}: an independent subsegment needs parent_id`)
  }
  checkEntity(doc, where, problems)
  return problems
}

function checkEntity(entity: Json, where: string, problems: string[]) {
  const problem = (text: string) => problems.push(`${where}: ${text}`)

  if (typeof entity.id !== 'string' || !ID.test(entity.id)) {
    problem(`id ${show(entity.id)} is not 16 hex digits`)
  }
  if (
    entity.parent_id !== undefined &&
    (typeof entity.parent_id !== 'string' || !ID.test(entity.parent_id))
  ) {
    problem(`parent_id ${show(entity.parent_id)} is not 16 hex digits`)
  }

  if (typeof entity.name !== 'string' || entity.name.length === 0) problem('name missing')
  else {
    if ([...entity.name].length > MAX_NAME_LENGTH) {
      problem(`name longer than ${MAX_NAME_LENGTH} characters`)
    }
    if (!NAME.test(entity.name)) {
      problem(
        `name ${show(entity.name)} has characters other than letters, numbers, whitespace and _.:/%&#=+\\-@`,
      )
    }
  }

  checkTimes(entity, problem)

  if (
    entity.namespace !== undefined &&
    entity.namespace !== 'aws' &&
    entity.namespace !== 'remote'
  ) {
    problem(`namespace must be "aws" or "remote", got ${show(entity.namespace)}`)
  }
  for (const flag of ['fault', 'error', 'throttle'] as const) {
    if (entity[flag] !== undefined && typeof entity[flag] !== 'boolean') {
      problem(`${flag} must be a boolean, got ${show(entity[flag])}`)
    }
  }
  checkAnnotations(entity.annotations, problem)
  if (entity.metadata !== undefined && !isObject(entity.metadata))
    problem('metadata is not an object')
  for (const block of ['http', 'aws', 'sql'] as const) {
    if (entity[block] !== undefined && !isObject(entity[block]))
      problem(`${block} is not an object`)
  }
  const status =
    isObject(entity.http) && isObject(entity.http.response)
      ? entity.http.response.status
      : undefined
  if (status !== undefined && typeof status !== 'number') {
    problem(`http.response.status must be a number, got ${show(status)}`)
  }
  checkCause(entity.cause, problem)
  if (entity.precursor_ids !== undefined) {
    const ids = entity.precursor_ids
    if (!Array.isArray(ids) || ids.some((id) => typeof id !== 'string' || !ID.test(id))) {
      problem('precursor_ids must be an array of 16-hex-digit ids')
    }
  }

  if (entity.subsegments !== undefined) {
    if (!Array.isArray(entity.subsegments)) problem('subsegments is not an array')
    else {
      entity.subsegments.forEach((child: unknown, index) => {
        const path = `${where} > subsegments[${index}]`
        if (!isObject(child)) return problems.push(`${path}: not an object`)
        checkEntity(child, `${path} ${describe(child)}`, problems)
      })
    }
  }
}

function checkTimes(entity: Json, problem: (text: string) => void) {
  const { start_time: start, end_time: end, in_progress: inProgress } = entity
  const isEpoch = (t: unknown): t is number =>
    typeof t === 'number' && Number.isFinite(t) && t > EPOCH_SECONDS.min && t < EPOCH_SECONDS.max
  if (!isEpoch(start)) problem(`start_time ${show(start)} is not a number of epoch seconds`)
  if (inProgress !== undefined && typeof inProgress !== 'boolean') {
    problem(`in_progress must be a boolean, got ${show(inProgress)}`)
  }
  if (end === undefined) {
    if (inProgress !== true) problem('neither end_time nor in_progress: true')
    return
  }
  if (inProgress === true) problem('both end_time and in_progress: true')
  if (!isEpoch(end)) problem(`end_time ${show(end)} is not a number of epoch seconds`)
  else if (isEpoch(start) && end < start) problem(`end_time ${end} is before start_time ${start}`)
}

function checkAnnotations(annotations: unknown, problem: (text: string) => void) {
  if (annotations === undefined) return
  if (!isObject(annotations)) return problem('annotations is not an object')
  const entries = Object.entries(annotations)
  if (entries.length > MAX_ANNOTATIONS) {
    problem(`${entries.length} annotations, more than ${MAX_ANNOTATIONS}`)
  }
  for (const [key, value] of entries) {
    if (!ANNOTATION_KEY.test(key)) {
      problem(`annotation key ${show(key)} is not 1-500 letters, digits or underscores`)
    }
    const scalar =
      typeof value === 'string' ||
      typeof value === 'boolean' ||
      (typeof value === 'number' && Number.isFinite(value))
    if (!scalar)
      problem(`annotation ${key} must be a string, number or boolean, got ${show(value)}`)
    else if (typeof value === 'string' && [...value].length > MAX_ANNOTATION_VALUE_LENGTH) {
      problem(`annotation ${key} is longer than ${MAX_ANNOTATION_VALUE_LENGTH} characters`)
    }
  }
}

function checkCause(cause: unknown, problem: (text: string) => void) {
  if (cause === undefined) return
  if (typeof cause === 'string') {
    if (!ID.test(cause)) problem(`cause ${show(cause)} is neither an exception id nor an object`)
    return
  }
  if (!isObject(cause))
    return problem(`cause must be an exception id or an object, got ${show(cause)}`)
  if (cause.exceptions === undefined) return
  if (!Array.isArray(cause.exceptions)) return problem('cause.exceptions is not an array')
  cause.exceptions.forEach((exception: unknown, index) => {
    const at = `cause.exceptions[${index}]`
    if (!isObject(exception)) return problem(`${at} is not an object`)
    // The one field the reference makes required in an exception.
    if (typeof exception.id !== 'string' || !ID.test(exception.id)) {
      problem(`${at}.id ${show(exception.id)} is not 16 hex digits`)
    }
    if (exception.stack !== undefined && !Array.isArray(exception.stack))
      problem(`${at}.stack is not an array`)
    else if (Array.isArray(exception.stack)) checkFrames(exception.stack, at, problem)
  })
}

/**
 * Each stack frame needs a string `path` and an integer `line` (the service rejects `line: null`,
 * which aws-xray-sdk-core writes for every frame of an ESM bundle); `label` is a string when
 * present.
 */
function checkFrames(stack: unknown[], at: string, problem: (text: string) => void) {
  stack.forEach((frame: unknown, index) => {
    const where = `${at}.stack[${index}]`
    if (!isObject(frame)) return problem(`${where} is not an object`)
    if (typeof frame.path !== 'string' || frame.path === '') {
      problem(`${where}.path ${show(frame.path)} is not a non-empty string`)
    }
    if (typeof frame.line !== 'number' || !Number.isInteger(frame.line) || frame.line < 0) {
      problem(`${where}.line ${show(frame.line)} is not an integer`)
    }
    if (frame.label !== undefined && typeof frame.label !== 'string') {
      problem(`${where}.label ${show(frame.label)} is not a string`)
    }
  })
}

/**
 * Checks what no single document shows: ids unique within each trace, and the guide's limit of
 * 50 annotations per trace. Run it over every document a test received.
 *
 * @example
 * expect(validateTrace(collector.documents())).toEqual([])
 */
export function validateTrace(docs: readonly SegmentDocument[]): string[] {
  const problems: string[] = []
  const seen = new Map<string, Set<string>>()
  const annotations = new Map<string, number>()
  const visit = (entity: Json, traceId: string) => {
    const ids = seen.get(traceId) ?? new Set<string>()
    seen.set(traceId, ids)
    // A complete document may overwrite an in-progress fragment with the same id: not a clash.
    if (typeof entity.id === 'string' && ids.has(entity.id) && entity.in_progress !== true) {
      problems.push(`trace ${traceId}: id ${entity.id} used twice`)
    }
    if (typeof entity.id === 'string' && entity.in_progress !== true) ids.add(entity.id)
    // A fragment's annotations come again in the complete document: count them once.
    if (isObject(entity.annotations) && entity.in_progress !== true) {
      annotations.set(
        traceId,
        (annotations.get(traceId) ?? 0) + Object.keys(entity.annotations).length,
      )
    }
    if (Array.isArray(entity.subsegments)) {
      for (const child of entity.subsegments) if (isObject(child)) visit(child, traceId)
    }
  }
  for (const doc of docs) visit(doc as Json, String(doc.trace_id))
  for (const [traceId, count] of annotations) {
    if (count > MAX_ANNOTATIONS) {
      problems.push(
        `trace ${traceId}: ${count} annotations, more than ${MAX_ANNOTATIONS} per trace`,
      )
    }
  }
  return problems
}

function describe(entity: Json): string {
  return `${show(entity.name)} (${show(entity.id)})`
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value)
  return text.length > 80 ? `${text.slice(0, 80)}…` : text
}
