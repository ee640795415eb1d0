import AWSXRay from 'aws-xray-sdk-core'
import { LambdaUtils } from 'aws-xray-sdk-core/dist/lib/utils'
import { describe, expect, it } from 'vitest'
import { useRandomPoolForIds } from '../../generated/lego-api/src/lib/tracing/entity-ids'
import { serializeSubsegmentsFaster } from '../../generated/lego-api/src/lib/tracing/entity-json'
import {
  closeSubsegment,
  type ClosingEntity,
} from '../../generated/lego-api/src/lib/tracing/invocation-document'
import { Subsegment } from '../../generated/lego-api/src/lib/tracing/subsegment'
import { parseTraceHeader } from '../../generated/lego-api/src/lib/tracing/trace-id'

/*
 * The runtime keeps subsegments in one shape (every field declared at construction, `in_progress`
 * set false at close instead of deleted) and reads trace headers itself. None of it may change a
 * byte of the documents or a field of the facade: the same tree built with the SDK's own init,
 * close and serialization, and with the runtime's, writes the same JSON.
 */

type Close = (subsegment: AWSXRay.Subsegment, error?: unknown) => void
type Open = (segment: AWSXRay.Segment, name: string) => AWSXRay.Subsegment

/**
 * A handler's tree as the MOC function records it, its handler subsegment opened with `open`
 * (the rest under it), closed with `close`.
 */
function tree(
  close: Close,
  open: Open = (segment, name) => segment.addNewSubsegment(name),
): AWSXRay.Subsegment {
  const segment = new AWSXRay.Segment('service', '1-5759e988-bd862e3fe1be46a994272793')
  segment.id = '53995c3f42cd8ad8'
  const handler = open(segment, '## moc-instructions')
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
  // As recordFault records a rejection: the error, then the fault flag, then the close; the same
  // error recorded again one level up refers to the subsegment that recorded it first.
  const search = handler.addNewSubsegment('Search')
  const rejected = search.addNewSubsegment('OpenSearch')
  rejected.addAttribute('namespace', 'remote')
  rejected.addMetadata('hits', null)
  rejected.addAttribute('http', { response: { status: 503 } })
  const unavailable = new Error('unavailable')
  rejected.addError(unavailable)
  rejected.addFaultFlag()
  close(rejected)
  search.addError(unavailable)
  search.addErrorFlag()
  search.addThrottleFlag()
  search.addMetadata('key', 'k', 'cache')
  close(search)
  handler.addNewSubsegment('still open')
  handler.addAttribute('http', { response: { status: 200 } })
  close(handler)
  return handler
}

/**
 * The same ids and times everywhere; assigning keeps each key where it was. A `cause` that refers
 * to the subsegment below which recorded the error first gets that subsegment's new id.
 */
function normalize(entity: AWSXRay.Subsegment): void {
  const ids = new Map<string, string>()
  const renumber = (subsegment: AWSXRay.Subsegment): void => {
    const fields = subsegment as unknown as Record<string, unknown>
    const id = `id${ids.size}`
    ids.set(fields.id as string, id)
    fields.id = id
    fields.start_time = 1
    if ('end_time' in fields) fields.end_time = 2
    for (const child of subsegment.subsegments ?? []) renumber(child)
  }
  const rewriteCauses = (subsegment: AWSXRay.Subsegment): void => {
    const fields = subsegment as unknown as Record<string, unknown>
    const cause = fields.cause as
      { id?: string; exceptions?: Array<{ id: string; stack?: unknown }> } | undefined
    if (cause?.id !== undefined) cause.id = ids.get(cause.id) ?? 'unknown subsegment'
    for (const exception of cause?.exceptions ?? []) {
      exception.id = 'exception'
      exception.stack = []
    }
    for (const child of subsegment.subsegments ?? []) rewriteCauses(child)
  }
  renumber(entity)
  rewriteCauses(entity)
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
    expect(byRuntime.subsegments!.at(-1)!.isClosed()).toBe(false)
    expect(runtimeDocuments[0]).toContain('"in_progress":true')
    // Serialized as they are, without a copy: the links up the tree are out of JSON's sight.
    expect(byRuntime.toJSON()).toBe(byRuntime)
    expect(Object.keys(byRuntime)).not.toContain('parent')
    expect(runtimeDocuments[0]).not.toContain('"in_progress":false')
  })
})

describe("the runtime's own subsegments", () => {
  it('write byte for byte the documents the SDK writes', () => {
    const bySdk = tree((s, error) => s.close(error as Error | undefined))
    normalize(bySdk)
    const sdkDocuments = [bySdk.format(), bySdk.subsegments![0]!.format()]

    const byRuntime = tree(
      (s, error) => s.close(error as Error | undefined),
      (segment, name) => new Subsegment(name, segment) as unknown as AWSXRay.Subsegment,
    )
    normalize(byRuntime)
    const runtimeDocuments = [byRuntime.format(), byRuntime.subsegments![0]!.format()]

    expect(byRuntime).toBeInstanceOf(Subsegment)
    expect(byRuntime.subsegments![3]).toBeInstanceOf(Subsegment)
    expect(runtimeDocuments).toEqual(sdkDocuments)
    expect(runtimeDocuments[0]).toContain('"cause":{"id":"id5","exceptions":[]}')
    expect(byRuntime.isClosed()).toBe(true)
    expect(byRuntime.subsegments!.at(-1)!.isClosed()).toBe(false)
    // Still an SDK subsegment for code that checks, and serialized without a toJSON call.
    expect(byRuntime).toBeInstanceOf(AWSXRay.Subsegment)
    expect((byRuntime as unknown as { toJSON?: unknown }).toJSON).toBeUndefined()
  })

  it('leave out a `subsegments` emptied by removeSubsegment, as the SDK does', () => {
    const segment = new AWSXRay.Segment('service', '1-5759e988-bd862e3fe1be46a994272793')
    const bySdk = segment.addNewSubsegment('sdk')
    const byRuntime = new Subsegment('runtime', segment)
    for (const parent of [bySdk, byRuntime]) {
      const child = parent.addNewSubsegment('child')
      parent.removeSubsegment(child as AWSXRay.Subsegment)
    }
    expect(JSON.parse(byRuntime.toString())).not.toHaveProperty('subsegments')
    expect(JSON.parse(bySdk.toString())).not.toHaveProperty('subsegments')
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
