import { describe, expect, it } from 'vitest'
import type { SegmentDocument } from '../../src/trace/segment-document'
import { NO_FUNCTION, serviceGraph } from '../../src/trace/service-graph'

const TRACE = '1-581cf771-a006649127e371903a2de979'
const t = { start_time: 1.5e9, end_time: 1.5e9 + 1 }

describe('serviceGraph', () => {
  it('links each function to the remote and aws subsegments below it, streamed or nested', () => {
    const docs: SegmentDocument[] = [
      {
        ...t,
        trace_id: TRACE,
        type: 'subsegment',
        id: '1111111111111111',
        parent_id: 'ffffffffffffffff',
        name: '## moc-instructions',
      },
      {
        ...t,
        trace_id: TRACE,
        type: 'subsegment',
        id: '2222222222222222',
        parent_id: '1111111111111111',
        name: 'Database Query - Get MOC',
        subsegments: [
          { ...t, id: '3333333333333333', name: 'test@127.0.0.1', namespace: 'remote' },
        ],
      },
      {
        ...t,
        trace_id: TRACE,
        type: 'subsegment',
        id: '4444444444444444',
        parent_id: '1111111111111111',
        name: 'S3',
        namespace: 'aws',
      },
      {
        ...t,
        trace_id: TRACE,
        type: 'subsegment',
        id: '5555555555555555',
        parent_id: '1111111111111111',
        name: 'local work',
      },
      // A classic (non-Lambda) segment: its own name is the function.
      {
        ...t,
        trace_id: '1-581cf771-000000000000000000000001',
        id: '6666666666666666',
        name: 'gallery',
        subsegments: [{ ...t, id: '7777777777777777', name: 'Redis', namespace: 'remote' }],
      },
      // A remote call opened straight under the facade, outside any function subsegment.
      {
        ...t,
        trace_id: TRACE,
        type: 'subsegment',
        id: '8888888888888888',
        parent_id: 'ffffffffffffffff',
        name: 'OpenSearch',
        namespace: 'remote',
      },
    ]
    expect(serviceGraph(docs)).toEqual(
      new Map([
        ['moc-instructions', new Set(['test@127.0.0.1', 'S3'])],
        ['gallery', new Set(['Redis'])],
        [NO_FUNCTION, new Set(['OpenSearch'])],
      ]),
    )
  })

  it('is empty without remote or aws subsegments', () => {
    expect(
      serviceGraph([
        {
          ...t,
          trace_id: TRACE,
          id: '1111111111111111',
          name: '## f',
          type: 'subsegment',
          parent_id: '2222222222222222',
        },
      ]),
    ).toEqual(new Map())
  })
})
