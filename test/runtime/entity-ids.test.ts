import AWSXRay from 'aws-xray-sdk-core'
import TraceID from 'aws-xray-sdk-core/dist/lib/segments/attributes/trace_id'
import { describe, expect, it } from 'vitest'
import { useRandomPoolForIds } from '../../generated/lego-api/src/lib/tracing/entity-ids'
import { randomHex } from '../../generated/lego-api/src/lib/tracing/random-hex'

/*
 * Subsegment and trace ids from the runtime's random pool: the same shape as the SDK's, unique,
 * and trace headers parsed exactly as the SDK parses them, malformed ones included.
 */

describe('random pool for SDK ids', () => {
  it('gives random hexadecimal of the requested length, across pool refills', () => {
    const seen = new Set<string>()
    for (let i = 0; i < 2_000; i++) {
      const hex = randomHex(8)
      expect(hex).toMatch(/^[0-9a-f]{16}$/)
      seen.add(hex)
    }
    expect(seen.size).toBe(2_000)
    expect(randomHex(12)).toMatch(/^[0-9a-f]{24}$/)
  })

  it('gives subsegments unique 16-hex ids and the fields the SDK sets', () => {
    useRandomPoolForIds()
    const ids = new Set<string>()
    for (let i = 0; i < 1_000; i++) {
      const subsegment = new AWSXRay.Subsegment(`work ${i}`)
      expect(subsegment.id).toMatch(/^[0-9a-f]{16}$/)
      ids.add(subsegment.id)
      expect(subsegment).toMatchObject({ name: `work ${i}`, in_progress: true, notTraced: false })
      expect(typeof subsegment.start_time).toBe('number')
    }
    expect(ids.size).toBe(1_000)
    expect(() => new AWSXRay.Subsegment(42 as unknown as string)).toThrow(
      'Subsegment name must be of type string.',
    )
  })

  it('parses trace ids as the SDK does, falling back to a random one when malformed', () => {
    useRandomPoolForIds()
    const valid = TraceID.FromString(' 1-5759e988-bd862e3fe1be46a994272793 ')
    expect(valid.toString()).toBe('1-5759e988-bd862e3fe1be46a994272793')
    expect(TraceID.FromString('2-0000abc-bd862e3fe1be46a994272793').toString()).toBe(
      '2-00000abc-bd862e3fe1be46a994272793',
    )
    for (const malformed of ['', 'not-a-trace', '0-5759e988-abc', '1-zz-abc', '1-5759e988-']) {
      const traceId = TraceID.FromString(malformed)
      if (malformed === '1-5759e988-') expect(traceId.id).toBe('')
      else expect(traceId.id).toMatch(/^[0-9a-f]{24}$/)
    }
  })
})
