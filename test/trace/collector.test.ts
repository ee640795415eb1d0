import { createSocket } from 'node:dgram'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import {
  DAEMON_HEADER,
  flatten,
  startCollector,
  subsegmentTree,
  type Collector,
} from '../../src/trace/collector'
import type { SegmentDocument } from '../../src/trace/segment-document'

const TRACE = '1-581cf771-a006649127e371903a2de979'
const FACADE = 'facade0000000001'
let collector: Collector
const sender = createSocket('udp4')

beforeAll(async () => {
  collector = await startCollector()
})
afterAll(async () => {
  sender.close()
  await collector.close()
})
beforeEach(() => collector.clear())

function send(datagram: string): Promise<void> {
  const [host, port] = collector.address.split(':')
  return new Promise((resolve, reject) =>
    sender.send(datagram, Number(port), host, (error) => (error ? reject(error) : resolve())),
  )
}

function doc(fields: Partial<SegmentDocument> & { id: string; name: string }): SegmentDocument {
  return { trace_id: TRACE, start_time: 1.5e9, end_time: 1.5e9 + 1, ...fields }
}

describe('startCollector', () => {
  it('listens on 127.0.0.1 and keeps every well-formed document with its raw body', async () => {
    expect(collector.address).toMatch(/^127\.0\.0\.1:\d+$/)
    const body = JSON.stringify(doc({ id: 'aaaaaaaaaaaaaaaa', name: 'one' }))
    await send(`${DAEMON_HEADER}\n${body}`)
    const docs = await collector.waitFor((d) => d.length === 1)
    expect(docs[0].name).toBe('one')
    expect(collector.received()[0].raw).toBe(body)
    expect(collector.problems()).toEqual([])
  })

  it('records malformed datagrams as problems and keeps nothing from them', async () => {
    await send('{"format":"json","version":2}\n{}')
    await send('{"format":"json","version":1}{"no":"newline"}')
    await send('not json\n{}')
    await send(`${DAEMON_HEADER}\n{"id": "broken"`)
    await send(`${DAEMON_HEADER}\n[1, 2]`)
    await collector.waitForQuiet(100)
    expect(collector.documents()).toEqual([])
    const problems = collector.problems()
    expect(problems).toHaveLength(5)
    expect(problems[0]).toMatch(/header is not \{"format":"json","version":1\}/)
    expect(problems[1]).toMatch(/without a header line/)
    expect(problems[2]).toMatch(/header is not JSON/)
    expect(problems[3]).toMatch(/body is not JSON/)
    expect(problems[4]).toMatch(/body is not a JSON object/)
  })

  it('waitFor rejects after the timeout, naming what did arrive', async () => {
    await send(`${DAEMON_HEADER}\n${JSON.stringify(doc({ id: 'aaaaaaaaaaaaaaaa', name: 'only' }))}`)
    await collector.waitFor((d) => d.length === 1)
    await expect(collector.waitFor((d) => d.length === 2, 50)).rejects.toThrow(
      /not met within 50 ms; received 1 document\(s\): only \(aaaaaaaaaaaaaaaa\)/,
    )
  })

  it('clear forgets documents and problems', async () => {
    await send('garbage')
    await send(`${DAEMON_HEADER}\n${JSON.stringify(doc({ id: 'aaaaaaaaaaaaaaaa', name: 'x' }))}`)
    await collector.waitFor((d) => d.length === 1)
    collector.clear()
    expect([collector.documents(), collector.problems()]).toEqual([[], []])
  })
})

describe('flatten and subsegmentTree', () => {
  // One trace as the SDK streams it in Lambda (independent subsegments), plus a document that
  // carries its children nested, plus another trace.
  const docs: SegmentDocument[] = [
    doc({
      id: '3333333333333333',
      name: 'test@127.0.0.1',
      type: 'subsegment',
      parent_id: '2222222222222222',
      namespace: 'remote',
      start_time: 1.5e9 + 0.2,
    }),
    doc({
      id: '2222222222222222',
      name: 'Database Query - Get MOC',
      type: 'subsegment',
      parent_id: '1111111111111111',
      start_time: 1.5e9 + 0.1,
    }),
    doc({
      id: '1111111111111111',
      name: '## moc-instructions',
      type: 'subsegment',
      parent_id: FACADE,
      subsegments: [
        {
          id: '4444444444444444',
          name: 'Redis - Get Cache',
          start_time: 1.5e9 + 0.05,
          end_time: 1.5e9 + 0.06,
          subsegments: [
            {
              id: '5555555555555555',
              name: 'Redis',
              namespace: 'remote',
              start_time: 1.5e9 + 0.05,
              end_time: 1.5e9 + 0.06,
            },
          ],
        },
      ],
    }),
    {
      ...doc({ id: '9999999999999999', name: '## other', type: 'subsegment', parent_id: FACADE }),
      trace_id: '1-581cf771-000000000000000000000000',
    },
  ]

  it('lists every (sub)segment with its trace and parent resolved', () => {
    const flat = flatten(docs).map((e) => [e.name, e.traceId === TRACE, e.parentId, e.kind])
    expect(flat).toEqual([
      ['test@127.0.0.1', true, '2222222222222222', 'subsegment'],
      ['Database Query - Get MOC', true, '1111111111111111', 'subsegment'],
      ['## moc-instructions', true, FACADE, 'subsegment'],
      ['Redis - Get Cache', true, '1111111111111111', 'subsegment'],
      ['Redis', true, '4444444444444444', 'subsegment'],
      ['## other', false, FACADE, 'subsegment'],
    ])
  })

  it('rebuilds one trace as a tree rooted at the subsegment whose parent was not received', () => {
    const roots = subsegmentTree(docs, TRACE)
    const shape = (node: (typeof roots)[number]): unknown => [node.name, node.children.map(shape)]
    expect(roots.map(shape)).toEqual([
      [
        '## moc-instructions',
        [
          ['Redis - Get Cache', [['Redis', []]]],
          ['Database Query - Get MOC', [['test@127.0.0.1', []]]],
        ],
      ],
    ])
  })

  it('keeps the complete version of a subsegment also sent as an in-progress fragment', () => {
    const fragment = {
      ...doc({
        id: '1111111111111111',
        name: '## moc-instructions',
        type: 'subsegment' as const,
        parent_id: FACADE,
      }),
      in_progress: true,
      end_time: undefined,
    }
    const roots = subsegmentTree([fragment, ...docs.slice(0, 3)], TRACE)
    expect(roots).toHaveLength(1)
    expect(roots[0].entity.in_progress).toBeUndefined()
  })
})
