import AWSXRay from 'aws-xray-sdk-core'
import { LambdaUtils } from 'aws-xray-sdk-core/dist/lib/utils'
import { describe, expect, it } from 'vitest'
import { useRandomPoolForIds } from '../../generated/lego-api/src/lib/tracing/entity-ids'
import { serializeSubsegmentsFaster } from '../../generated/lego-api/src/lib/tracing/entity-json'
import {
  closeSubsegment,
  type ClosingEntity,
} from '../../generated/lego-api/src/lib/tracing/invocation-document'
import { parseTraceHeader } from '../../generated/lego-api/src/lib/tracing/trace-id'

/*
 * The runtime keeps subsegments in one shape (every field declared at construction, `in_progress`
 * set false at close instead of deleted) and reads trace headers itself. None of it may change a
 * byte of the documents or a field of the facade: the same tree built with the SDK's own init,
 * close and serialization, and with the runtime's, writes the same JSON.
 */

type Close = (subsegment: AWSXRay.Subsegment, error?: unknown) => void

/** A handler's tree as the MOC function records it, closed with `close`. */
function tree(close: Close): AWSXRay.Subsegment {
  const segment = new AWSXRay.Segment('service', '1-5759e988-bd862e3fe1be46a994272793')
  segment.id = '53995c3f42cd8ad8'
  const handler = segment.addNewSubsegment('## moc-instructions')
  handler.addAnnotation('Service', 'moc-instructions')
  handler.addAnnotation('ColdStart', false)
  handler.addMetadata('requestId', 'c6af9ac6')
  const traced = handler.addNewSubsegment('Database Query - Get MOC')
  traced.addAnnotation('operation', 'SELECT')
  const remote = traced.addNewSubsegment('test@127.0.0.1')
  remote.addAttribute('namespace', 'remote')
  remote.addAttribute('sql', { url: 'postgresql://127.0.0.1:5432/test' })
  close(remote)
  traced.addMetadata('rowCount', 1)
  close(traced)
  const failed = handler.addNewSubsegment('Redis')
  failed.addAttribute('namespace', 'remote')
  close(failed, new Error('connection reset'))
  handler.addNewSubsegment('still open')
  handler.addAttribute('http', { response: { status: 200 } })
  close(handler)
  return handler
}

/** The same ids and times everywhere; assigning keeps each key where it was. */
function normalize(entity: AWSXRay.Subsegment, counter = { n: 0 }): void {
  const fields = entity as unknown as Record<string, unknown>
  fields.id = `id${counter.n++}`
  fields.start_time = 1
  if ('end_time' in fields) fields.end_time = 2
  const cause = fields.cause as { exceptions?: Array<{ id: string; stack?: unknown }> } | undefined
  for (const exception of cause?.exceptions ?? []) {
    exception.id = 'exception'
    exception.stack = []
  }
  for (const child of entity.subsegments ?? []) normalize(child, counter)
}

describe('subsegments of one shape', () => {
  it('write byte for byte the documents the SDK writes', () => {
    const bySdk = tree((s, error) => s.close(error as Error | undefined))
    normalize(bySdk)
    const sdkDocuments = [bySdk.format(), bySdk.subsegments![0]!.format()]

    useRandomPoolForIds()
    serializeSubsegmentsFaster()
    const byRuntime = tree((s, error) => closeSubsegment(s as unknown as ClosingEntity, error))
    normalize(byRuntime)
    const runtimeDocuments = [byRuntime.format(), byRuntime.subsegments![0]!.format()]

    expect(runtimeDocuments).toEqual(sdkDocuments)
    // Closed, the runtime's subsegments still say so, without the key in the JSON.
    expect(byRuntime.isClosed()).toBe(true)
    expect(byRuntime.subsegments![2]!.isClosed()).toBe(false)
    expect(runtimeDocuments[0]).toContain('"in_progress":true')
    // Serialized as they are, without a copy: the links up the tree are out of JSON's sight.
    expect(byRuntime.toJSON()).toBe(byRuntime)
    expect(Object.keys(byRuntime)).not.toContain('parent')
    expect(runtimeDocuments[0]).not.toContain('"in_progress":false')
  })
})

describe('trace headers read by the runtime', () => {
  const headers = [
    'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1',
    'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=0',
    'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1;Lineage=a87bd80c:0',
    ' root = 1-5759e988-bd862e3fe1be46a994272793 ;PARENT=53995c3f42cd8ad8;sampled=0;;Self=x;a=b=c',
    `Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1;${'k'.repeat(200)}=v;more=${'v'.repeat(60)};last=1`,
    'Sampled=1;Parent=53995c3f42cd8ad8;Root=1-5759e988-bd862e3fe1be46a994272793;=x;y=',
  ]

  it.each(headers)('fills the facade as the SDK does: %s', (header) => {
    const fields = parseTraceHeader(header)
    expect(fields).toBeDefined()
    const sdk: Record<string, unknown> = {}
    LambdaUtils.populateTraceData(sdk as never, header)
    expect({
      trace_id: fields!.root,
      id: fields!.parent,
      notTraced: parseInt(fields!.sampled) ? undefined : true,
      additionalTraceData: fields!.data,
    }).toEqual({
      trace_id: sdk.trace_id,
      id: sdk.id,
      notTraced: sdk.notTraced,
      additionalTraceData: sdk.additionalTraceData,
    })
  })

  it.each([
    '',
    'Root=1-5759e988-bd862e3fe1be46a994272793',
    'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8',
    'Root=1-5759E988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1',
    'Root=2-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1',
    'Root=garbage;Parent=53995c3f42cd8ad8;Sampled=1',
  ])('leaves anything unusual to the SDK: %j', (header) => {
    expect(parseTraceHeader(header)).toBeUndefined()
  })
})
