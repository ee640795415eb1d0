import { readFile } from 'node:fs/promises'
import { DAEMON_HEADER } from './collector'
import type { SegmentDocument } from './segment-document'
import type { TraceLabel } from './trace-view'

/*
 * Trace documents on disk, in the three shapes `trace --from` reads: the output of
 * `aws xray batch-get-traces` (each `Traces[].Segments[].Document` a JSON string), raw segment
 * documents (a JSON array, or one per line as the daemon receives them, header lines allowed),
 * and this command's own `--json`.
 */

/** The `format` value of this command's `--json` output. */
export const TRACE_FILE_FORMAT = 'xray-scaffold-trace/1'

/** What `trace --json` writes: each trace's documents with what was requested. */
export interface TraceFile {
  readonly format: typeof TRACE_FILE_FORMAT
  readonly traces: ReadonlyArray<{
    readonly id: string
    readonly label?: string
    readonly status?: number
    readonly documents: readonly SegmentDocument[]
  }>
}

/** A file that is none of the shapes; the message names the file and what was expected. */
export class TraceFileError extends Error {
  override readonly name = 'TraceFileError'
}

const EXPECTED =
  'expected the JSON output of aws xray batch-get-traces, an array (or lines) of segment documents, or xray-scaffold trace --json output'

/** Documents read from files, with the labels the command's own format carries. */
export interface LoadedDocuments {
  readonly documents: SegmentDocument[]
  readonly labels: Map<string, TraceLabel>
}

/**
 * Reads every file and returns all their documents; throws {@link TraceFileError} naming the
 * first file that is not one of the shapes.
 *
 * @example
 * const { documents, labels } = await readTraceFiles(['traces.json'])
 * const traces = traceViews(documents, labels)
 */
export async function readTraceFiles(files: readonly string[]): Promise<LoadedDocuments> {
  const documents: SegmentDocument[] = []
  const labels = new Map<string, TraceLabel>()
  for (const file of files) {
    let text: string
    try {
      text = await readFile(file, 'utf8')
    } catch (error) {
      throw new TraceFileError(
        `${file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? error})`,
      )
    }
    const loaded = parseTraceText(text, file)
    documents.push(...loaded.documents)
    for (const [id, label] of loaded.labels) labels.set(id, label)
  }
  return { documents, labels }
}

/** Parses one file's text (see {@link readTraceFiles}); `file` names it in errors. */
export function parseTraceText(text: string, file: string): LoadedDocuments {
  const fail = (what: string): never => {
    throw new TraceFileError(`${file}: ${what}; ${EXPECTED}`)
  }
  const labels = new Map<string, TraceLabel>()
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    // Not one JSON value: documents one per line, as the daemon receives them.
    const lines = text
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '' && l !== DAEMON_HEADER)
    if (lines.length === 0) fail('is empty')
    const documents = lines.map((line, i) => {
      let doc: unknown
      try {
        doc = JSON.parse(line)
      } catch {
        return fail(`line ${i + 1} is not JSON`)
      }
      return checkDocument(doc, `line ${i + 1}`, fail)
    })
    return { documents, labels }
  }
  if (Array.isArray(value)) {
    return { documents: value.map((doc, i) => checkDocument(doc, `[${i}]`, fail)), labels }
  }
  if (!isObject(value)) return fail('is not a JSON object or array')
  if (Array.isArray(value.Traces)) {
    const documents = value.Traces.flatMap((trace, t) => {
      if (!isObject(trace) || !Array.isArray(trace.Segments))
        return fail(`Traces[${t}] has no Segments array`)
      return trace.Segments.map((segment, s) => {
        const where = `Traces[${t}].Segments[${s}].Document`
        if (!isObject(segment) || typeof segment.Document !== 'string')
          return fail(`${where} is not a string`)
        let doc: unknown
        try {
          doc = JSON.parse(segment.Document)
        } catch {
          return fail(`${where} is not JSON`)
        }
        return checkDocument(doc, where, fail)
      })
    })
    return { documents, labels }
  }
  if (value.format === TRACE_FILE_FORMAT && Array.isArray(value.traces)) {
    const documents = value.traces.flatMap((trace, t) => {
      if (!isObject(trace) || !Array.isArray(trace.documents))
        return fail(`traces[${t}] has no documents array`)
      if (typeof trace.id === 'string') {
        labels.set(trace.id, {
          label: typeof trace.label === 'string' ? trace.label : undefined,
          status: typeof trace.status === 'number' ? trace.status : undefined,
        })
      }
      return trace.documents.map((doc, d) =>
        checkDocument(doc, `traces[${t}].documents[${d}]`, fail),
      )
    })
    return { documents, labels }
  }
  return (
    checkDocument(value, 'the document', fail) && { documents: [value as SegmentDocument], labels }
  )
}

/** This command's `--json` for the given traces. */
export function traceFile(
  traces: ReadonlyArray<{
    id: string
    label?: string
    status?: number
    documents: readonly SegmentDocument[]
  }>,
): TraceFile {
  return {
    format: TRACE_FILE_FORMAT,
    traces: traces.map(({ id, label, status, documents }) => ({ id, label, status, documents })),
  }
}

function checkDocument(
  doc: unknown,
  where: string,
  fail: (what: string) => never,
): SegmentDocument {
  if (!isObject(doc)) return fail(`${where} is not a segment document (a JSON object)`)
  for (const field of ['id', 'name', 'trace_id'] as const) {
    if (typeof doc[field] !== 'string') fail(`${where} has no string "${field}"`)
  }
  if (typeof doc.start_time !== 'number') fail(`${where} has no numeric "start_time"`)
  return doc as SegmentDocument
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
