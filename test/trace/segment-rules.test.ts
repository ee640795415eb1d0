import { describe, expect, it } from 'vitest'
import type { SegmentDocument } from '../../src/trace/segment-document'
import { MAX_DOCUMENT_BYTES, validateDocument, validateTrace } from '../../src/trace/segment-rules'

const TRACE = '1-581cf771-a006649127e371903a2de979'

/** The reference's minimal complete segment, with a nested subsegment. */
function segment(): SegmentDocument {
  return {
    name: 'example.com',
    id: '70de5b6f19ff9a0a',
    start_time: 1.478293361271e9,
    end_time: 1.478293361449e9,
    trace_id: TRACE,
    subsegments: [
      {
        id: '004f72be19cddc2a',
        name: 'api.example.com',
        start_time: 1.478293361272e9,
        end_time: 1.478293361448e9,
        namespace: 'remote',
        http: {
          request: { method: 'POST', url: 'https://api.example.com/health' },
          response: { status: 200 },
        },
      },
    ],
  }
}

/** The reference's independent subsegment. */
function independent(): SegmentDocument {
  return {
    name: '## moc-instructions',
    id: '53995c3f42cd8ad8',
    start_time: 1.478293361271e9,
    end_time: 1.478293361449e9,
    type: 'subsegment',
    trace_id: TRACE,
    parent_id: 'defdfd9912dc5a56',
    annotations: { userId: 'user-1', ColdStart: true, attempt: 1 },
    metadata: { default: { requestId: 'abc' } },
  }
}

/** Applies `change` to a fresh valid document and returns the problems found. */
function problemsAfter(change: (doc: SegmentDocument) => void, base = independent): string[] {
  const doc = base()
  change(doc)
  return validateDocument(doc)
}

describe('validateDocument accepts', () => {
  it('the reference examples: a segment with a nested subsegment and an independent subsegment', () => {
    expect(validateDocument(segment())).toEqual([])
    expect(validateDocument(independent())).toEqual([])
  })

  it('an in-progress document without end_time', () => {
    expect(problemsAfter((d) => ((d.in_progress = true), delete d.end_time))).toEqual([])
  })

  it('names with every allowed symbol and Unicode letters', () => {
    expect(problemsAfter((d) => (d.name = 'Db Query - café_1.2:3/4%5&6#7=8+9\\0@host'))).toEqual([])
  })

  it('a cause given as an exception id', () => {
    expect(problemsAfter((d) => (d.cause = 'a1b2c3d4e5f60718'))).toEqual([])
  })

  it('an exception whose frames have a path and an integer line', () => {
    const stack = [
      { path: '/var/task/src/functions/wishlist.ts', line: 61, label: 'listItems' },
      {
        path: 'node:internal/process/task_queues',
        line: 105,
        label: 'process.processTicksAndRejections',
      },
    ]
    const exceptions = [{ id: 'a1b2c3d4e5f60718', message: 'boom', type: 'Error', stack }]
    expect(problemsAfter((d) => (d.cause = { exceptions }))).toEqual([])
  })
})

describe('validateDocument rejects', () => {
  const cases: Array<[string, (doc: SegmentDocument) => void, RegExp]> = [
    [
      'an id that is not 16 hex digits',
      (d) => (d.id = '53995c3f42cd8ad'),
      /id "53995c3f42cd8ad" is not 16 hex digits/,
    ],
    [
      'an id with non-hex characters',
      (d) => (d.id = '53995c3f42cd8adz'),
      /id .* is not 16 hex digits/,
    ],
    [
      'a parent_id that is not 16 hex digits',
      (d) => (d.parent_id = 'parent'),
      /parent_id "parent" is not 16 hex/,
    ],
    [
      'a missing trace_id',
      (d) => delete (d as Partial<SegmentDocument>).trace_id,
      /trace_id missing/,
    ],
    [
      'a trace id without the version',
      (d) => (d.trace_id = '581cf771-a006649127e371903a2de979'),
      /trace_id .* is not 1-/,
    ],
    [
      'a trace id with a short random part',
      (d) => (d.trace_id = '1-581cf771-a006649127e371903a2de97'),
      /trace_id/,
    ],
    ['a missing name', (d) => delete (d as Partial<SegmentDocument>).name, /name missing/],
    ['an empty name', (d) => (d.name = ''), /name missing/],
    ['a name over 200 characters', (d) => (d.name = 'a'.repeat(201)), /name longer than 200/],
    [
      'a name with a disallowed symbol',
      (d) => (d.name = 'SELECT (moc)'),
      /has characters other than/,
    ],
    [
      'a start_time string',
      (d) => ((d as Record<string, unknown>).start_time = '2016-12-01T10:00:00Z'),
      /start_time .* epoch seconds/,
    ],
    [
      'a start_time in milliseconds',
      (d) => (d.start_time = 1478293361271),
      /start_time .* epoch seconds/,
    ],
    [
      'an end_time before start_time',
      (d) => (d.end_time = d.start_time - 1),
      /end_time .* is before start_time/,
    ],
    [
      'neither end_time nor in_progress',
      (d) => delete d.end_time,
      /neither end_time nor in_progress/,
    ],
    [
      'both end_time and in_progress',
      (d) => (d.in_progress = true),
      /both end_time and in_progress/,
    ],
    [
      'an annotation key with a space',
      (d) => (d.annotations = { 'user id': 'u' }),
      /annotation key "user id"/,
    ],
    [
      'an annotation key with a dot',
      (d) => (d.annotations = { 'user.id': 'u' }),
      /annotation key "user.id"/,
    ],
    [
      'an annotation key over 500 characters',
      (d) => (d.annotations = { ['k'.repeat(501)]: 1 }),
      /annotation key/,
    ],
    [
      'an object annotation value',
      (d) => (d.annotations = { user: { id: 1 } as never }),
      /annotation user must be a string, number or boolean/,
    ],
    [
      'a null annotation value',
      (d) => (d.annotations = { user: null as never }),
      /annotation user must be/,
    ],
    [
      'an annotation string over 1000 characters',
      (d) => (d.annotations = { note: 'x'.repeat(1001) }),
      /longer than 1000/,
    ],
    [
      '51 annotations',
      (d) =>
        (d.annotations = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, i]))),
      /51 annotations, more than 50/,
    ],
    ['an unknown namespace', (d) => (d.namespace = 'local'), /namespace must be "aws" or "remote"/],
    [
      'a type other than subsegment',
      (d) => ((d as Record<string, unknown>).type = 'segment'),
      /type must be "subsegment"/,
    ],
    [
      'an independent subsegment without parent_id',
      (d) => delete (d as Partial<SegmentDocument>).parent_id,
      /needs parent_id/,
    ],
    [
      'a fault flag that is not boolean',
      (d) => ((d as Record<string, unknown>).fault = 'yes'),
      /fault must be a boolean/,
    ],
    [
      'an exception without id',
      (d) => (d.cause = { exceptions: [{ message: 'boom' }] }),
      /cause.exceptions\[0\].id/,
    ],
    [
      // What aws-xray-sdk-core writes for a frame of an ESM bundle (file:///var/task/index.mjs:35:7002).
      'a stack frame with a null line',
      (d) =>
        (d.cause = {
          exceptions: [
            { id: 'a1b2c3d4e5f60718', stack: [{ path: 'file', line: null as never, label: 'f' }] },
          ],
        }),
      /cause.exceptions\[0\].stack\[0\].line null is not an integer/,
    ],
    [
      'a stack frame without a path',
      (d) =>
        (d.cause = {
          exceptions: [{ id: 'a1b2c3d4e5f60718', stack: [{ line: 3, label: 'f' } as never] }],
        }),
      /cause.exceptions\[0\].stack\[0\].path undefined is not a non-empty string/,
    ],
    [
      'a cause that is neither id nor object',
      (d) => (d.cause = 'boom'),
      /neither an exception id nor an object/,
    ],
    [
      'a non-numeric http status',
      (d) => (d.http = { response: { status: '200' as never } }),
      /status must be a number/,
    ],
    [
      'metadata that is not an object',
      (d) => ((d as Record<string, unknown>).metadata = 'x'),
      /metadata is not an object/,
    ],
  ]

  it.each(cases)('%s', (_, change, expected) => {
    const problems = problemsAfter(change)
    expect(problems.join('\n')).toMatch(expected)
  })

  it('the same rules inside nested subsegments, naming the path', () => {
    const problems = problemsAfter((d) => {
      d.subsegments![0].annotations = { 'bad key': 1 }
      d.subsegments![0].subsegments = [
        { id: 'nope', name: 'x', start_time: 1.478293361272e9, end_time: 1.478293361273e9 },
      ]
    }, segment)
    expect(problems).toHaveLength(2)
    expect(problems[0]).toMatch(/subsegments\[0\] "api.example.com".*annotation key "bad key"/)
    expect(problems[1]).toMatch(/subsegments\[0\] .*> subsegments\[0\] "x" \("nope"\): id "nope"/)
  })

  it('a document over 64 kB, measured on the raw body when given', () => {
    const big = independent()
    big.metadata = { default: { blob: 'x'.repeat(MAX_DOCUMENT_BYTES) } }
    expect(validateDocument(big).join()).toMatch(/more than the 65536 allowed/)
    const small = independent()
    expect(validateDocument(small, 'x'.repeat(MAX_DOCUMENT_BYTES + 1)).join()).toMatch(
      /65537 bytes/,
    )
  })

  it('something that is not an object', () => {
    expect(validateDocument([])).toEqual(['document: not a JSON object'])
  })
})

describe('validateTrace', () => {
  it('accepts documents with distinct ids and an in-progress fragment completed later', () => {
    const fragment = { ...independent(), in_progress: true, end_time: undefined }
    expect(validateTrace([segment(), fragment, independent()])).toEqual([])
  })

  it('rejects an id used twice in one trace and more than 50 annotations per trace', () => {
    const a = independent()
    const b = {
      ...independent(),
      id: '1111111111111111',
      annotations: Object.fromEntries(Array.from({ length: 48 }, (_, i) => [`k${i}`, i])),
    }
    expect(validateTrace([a, independent(), b])).toEqual([
      `trace ${TRACE}: id 53995c3f42cd8ad8 used twice`,
      `trace ${TRACE}: 54 annotations, more than 50 per trace`,
    ])
  })
})
