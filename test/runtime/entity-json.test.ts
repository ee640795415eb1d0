import AWSXRay from 'aws-xray-sdk-core'
import { describe, expect, it } from 'vitest'
import { serializeSubsegmentsFaster } from '../../generated/lego-api/src/lib/tracing/entity-json'

/*
 * The runtime's serialization of subsegments must write exactly the document the SDK writes:
 * same keys in the same order, children nested, links up the tree and counters left out, empty
 * `subsegments` left out, and BigInts as strings.
 */

type Prototype = { toJSON(): unknown; serialize(object?: unknown): string }

function tree(): AWSXRay.Subsegment {
  const segment = new AWSXRay.Segment('service', '1-5759e988-bd862e3fe1be46a994272793')
  const handler = segment.addNewSubsegment('## function')
  handler.addAnnotation('Service', 'moc-instructions')
  handler.addAnnotation('ColdStart', false)
  handler.addMetadata('requestId', 'c6af9ac6')
  handler.addMetadata('big', { rows: 10n })
  const query = handler.addNewSubsegment('Database Query - SELECT moc_instructions')
  const remote = query.addNewSubsegment('test@127.0.0.1')
  remote.addAttribute('namespace', 'remote')
  remote.addAttribute('sql', {
    url: 'postgresql://127.0.0.1:5432/test',
    database_type: 'PostgreSQL',
  })
  remote.close()
  query.close()
  const failed = handler.addNewSubsegment('Redis')
  failed.addError(new Error('connection reset'))
  failed.addFaultFlag()
  failed.close()
  handler.addNewSubsegment('still open')
  // Emptied by streaming: the SDK leaves an empty `subsegments` out of the document.
  const emptied = handler.addNewSubsegment('emptied')
  emptied.subsegments = []
  emptied.close()
  handler.addAttribute('http', { response: { status: 200 } })
  return handler
}

describe('subsegment serialization', () => {
  it('writes the same documents as the SDK, BigInts included', () => {
    const prototype = AWSXRay.Subsegment.prototype as unknown as Prototype
    const sdk = { toJSON: prototype.toJSON, serialize: prototype.serialize }
    const handler = tree()
    const withoutBigInt = tree()
    const metadata = (
      withoutBigInt as unknown as { metadata: { default: Record<string, unknown> } }
    ).metadata
    delete metadata.default.big
    const formatAll = () => [
      handler.format(),
      withoutBigInt.format(),
      handler.subsegments![0]!.format(),
    ]
    // format() sets `type`, `parent_id` and `trace_id` on the subsegment it formats: once set,
    // the documents stay the same from one call to the next.
    formatAll()
    const bySdk = formatAll()

    serializeSubsegmentsFaster()
    expect(prototype.toJSON).not.toBe(sdk.toJSON)
    expect(prototype.serialize).not.toBe(sdk.serialize)
    const byRuntime = formatAll()
    expect(byRuntime).toEqual(bySdk)
    expect(JSON.parse(byRuntime[0]!).metadata.default.big).toEqual({ rows: '10' })
    expect(JSON.parse(byRuntime[0]!).subsegments).toHaveLength(4)
    expect(byRuntime[0]).not.toContain('"counter"')
    expect(byRuntime[0]).not.toContain('"parent"')
  })

  it('still refuses a circular document', () => {
    serializeSubsegmentsFaster()
    const subsegment = new AWSXRay.Subsegment('loop')
    const circular: Record<string, unknown> = {}
    circular.self = circular
    subsegment.addMetadata('circular', circular)
    expect(() => subsegment.serialize()).toThrow(TypeError)
  })
})
