import { describe, expect, it } from 'vitest'
import {
  boundedStack,
  MAX_FRAMES,
  parseFrame,
  stackFrames,
} from '../../generated/lego-api/src/lib/tracing/stack-frames'

describe('parseFrame reads V8 frames the SDK parser breaks on', () => {
  it.each([
    [
      '    at listItems (file:///var/task/src/functions/wishlist.ts:61:5)',
      { path: '/var/task/src/functions/wishlist.ts', line: 61, label: 'listItems' },
    ],
    [
      '    at file:///var/task/index.mjs:35:7002',
      { path: '/var/task/index.mjs', line: 35, label: 'anonymous' },
    ],
    [
      '    at process.processTicksAndRejections (node:internal/process/task_queues:105:5)',
      {
        path: 'node:internal/process/task_queues',
        line: 105,
        label: 'process.processTicksAndRejections',
      },
    ],
    [
      '    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1637:16)',
      { path: 'node:net', line: 1637, label: 'TCPConnectWrap.afterConnect [as oncomplete]' },
    ],
    [
      '    at async Promise.all (/var/task/a b/x.js:3:1)',
      { path: '/var/task/a b/x.js', line: 3, label: 'async Promise.all' },
    ],
    [
      '    at eval (eval at run (/var/task/x.js:10:3), <anonymous>:1:1)',
      { path: '/var/task/x.js', line: 10, label: 'eval' },
    ],
  ])('%s', (line, frame) => {
    expect(parseFrame(line)).toEqual(frame)
  })

  it.each([
    '    at Promise.all (index 0)',
    '    at native',
    'Error: boom',
    '    at f (<anonymous>)',
  ])('leaves out a frame without a file location: %s', (line) => {
    expect(parseFrame(line)).toBeUndefined()
  })
})

describe('stackFrames and boundedStack', () => {
  const deep = (depth: number): Error => (depth === 0 ? new Error('deep') : deep(depth - 1))

  it('keep at most MAX_FRAMES frames, each with a string path and an integer line', () => {
    Error.stackTraceLimit = 50
    try {
      const error = deep(40)
      const frames = stackFrames(error)
      expect(frames).toHaveLength(MAX_FRAMES)
      for (const frame of frames) {
        expect(frame.path).toBeTypeOf('string')
        expect(Number.isInteger(frame.line)).toBe(true)
      }
      const bounded = boundedStack(error.stack)!.split('\n')
      expect(bounded[0]).toBe('Error: deep')
      expect(bounded.filter((line) => /^\s+at /.test(line))).toHaveLength(MAX_FRAMES)
      expect(bounded.at(-1)).toMatch(/^\s+\.\.\. \d+ more frames$/)
    } finally {
      Error.stackTraceLimit = 10
    }
  })

  it('return nothing for a value without a stack, and a short stack unchanged', () => {
    expect(stackFrames('boom')).toEqual([])
    expect(stackFrames(undefined)).toEqual([])
    const short = 'Error: x\n    at f (/a.ts:1:1)'
    expect(boundedStack(short)).toBe(short)
  })
})
