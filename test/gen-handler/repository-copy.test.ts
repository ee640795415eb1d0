import { readFile, rm } from 'node:fs/promises'
import path from 'node:path'
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3'
import type { APIGatewayProxyResult } from 'aws-lambda'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startCollector, subsegmentTree, type TraceNode } from '../../src/trace/collector'
import { appEnvironment, restEvent } from '../support/lambda'
import { bundleFunction, removeBundle, startLambda } from '../support/lambda-process'
import { startOpenSearchServer } from '../support/opensearch-server'
import { startS3Server } from '../support/s3-server'
import {
  cli,
  ROOT,
  runVitest,
  scratchCopyOfRepository,
  snapshot,
  synthAppIn,
  tscErrors,
  type CliResult,
} from './scratch'

// `gen handler` in a scratch copy of this repository: a new function `orders` using all four
// dependencies, and `audit` using Redis only (to see that permissions follow what a function uses).
// The generated test and the invocation below use the real Postgres and Redis: run this file
// under flock /tmp/xray-scaffold-db.lock.

const APP = 'generated/lego-api'
let copy: string
let orders: CliResult
let before: Map<string, string>

beforeAll(async () => {
  copy = await scratchCopyOfRepository()
  before = await snapshot(copy)
  const config = path.join(copy, 'xray-scaffold.config.ts')
  orders = await cli(
    'gen',
    'handler',
    '--config',
    config,
    '--service',
    'orders',
    '--name',
    'get-order',
    '--route',
    'GET /api/orders/{orderId}',
    '--route',
    'DELETE /api/orders/{orderId}',
    '--uses',
    'postgres,redis,s3,opensearch',
  )
  const audit = await cli(
    'gen',
    'handler',
    '--config',
    config,
    '--service',
    'audit',
    '--name',
    'list-events',
    '--route',
    'GET /api/audit',
    '--uses',
    'redis',
  )
  expect(audit.code, audit.stderr).toBe(0)
})
afterAll(() => rm(copy, { recursive: true, force: true }))

describe('gen handler in a copy of this repository', () => {
  it('prints the files it created and changed, the diff of the changed ones, and the next command', () => {
    expect(orders.stderr).toBe('')
    expect(orders.code).toBe(0)
    const lines = orders.stdout.split('\n')
    expect(lines[0]).toBe(
      'gen handler: orders (new function): GET /api/orders/{orderId}, DELETE /api/orders/{orderId}',
    )
    expect(lines.slice(1, 5)).toEqual([
      `  created  ${APP}/src/functions/orders.ts`,
      '  created  test/functions/orders.test.ts',
      '  changed  src/manifest/lego-api.ts',
      `  changed  ${APP}/infra/services.ts`,
    ])
    expect(orders.stdout).toContain('+++ b/src/manifest/lego-api.ts')
    expect(orders.stdout).toContain(`+++ b/${APP}/infra/services.ts`)
    expect(lines.at(-2)).toBe('Next: npx vitest run test/functions/orders.test.ts')
  })

  it('changes nothing else: the rest of the generated app is byte-identical, and gen --check is clean', async () => {
    const after = await snapshot(copy)
    const changed = [...after.keys()].filter((file) => before.get(file) !== after.get(file)).sort()
    expect(changed).toEqual(
      [
        `${APP}/infra/services.ts`,
        `${APP}/src/functions/audit.ts`,
        `${APP}/src/functions/orders.ts`,
        'src/manifest/lego-api.ts',
        'test/functions/audit.test.ts',
        'test/functions/orders.test.ts',
      ].sort(),
    )
    const check = await cli(
      'gen',
      '--check',
      '--config',
      path.join(copy, 'xray-scaffold.config.ts'),
    )
    expect(check.stderr).toBe('')
    expect(check.stdout).toMatch(/gen --check: generated\/lego-api is up to date/)
  })

  it('writes prettier-formatted code that compiles with the rest under tsc --strict', async () => {
    expect(await tscErrors(path.join(copy, APP, 'tsconfig.json'))).toBe('')
    expect(await tscErrors(path.join(copy, 'tsconfig.json'))).toBe('')
    const prettier = await import('prettier')
    for (const file of [
      `${APP}/src/functions/orders.ts`,
      'test/functions/orders.test.ts',
      'src/manifest/lego-api.ts',
    ]) {
      const text = await readFile(path.join(copy, file), 'utf8')
      const options = await prettier.resolveConfig(path.join(copy, file))
      expect(await prettier.check(text, { ...options, filepath: file }), file).toBe(true)
    }
  })

  it('writes a test that passes, run as the printed command runs it', async () => {
    const { ok, output } = await runVitest(copy, 'test/functions/orders.test.ts')
    expect(output).toMatch(/Tests\s+4 passed/)
    expect(ok, output).toBe(true)
  })
})

describe('the new function, bundled and invoked as Lambda', () => {
  it('emits ## lego-api-orders with the annotations asked for and a remote subsegment per dependency', async () => {
    const collector = await startCollector()
    const s3 = await startS3Server()
    const openSearch = await startOpenSearchServer({ indices: ['orders'] })
    const bundle = await bundleFunction(path.join(copy, APP, 'src/functions/orders.ts'))
    const lambda = await startLambda({
      bundle: bundle.file,
      env: {
        ...appEnvironment({
          s3: s3.endpoint,
          openSearch: openSearch.endpoint,
          bucket: 'orders-bucket',
        }),
        POSTGRES_PASSWORD: 'postgres',
        AWS_XRAY_DAEMON_ADDRESS: collector.address,
        AWS_LAMBDA_FUNCTION_NAME: 'lego-api-orders',
      },
    })
    const call = async () => {
      const { result, traceId } = await lambda.invoke<APIGatewayProxyResult>(
        restEvent({
          method: 'GET',
          resource: '/api/orders/{orderId}',
          pathParameters: { orderId: 'o-42' },
        }),
      )
      await collector.waitFor((docs) =>
        docs.some(
          (d) => d.trace_id === traceId && d.name === '## lego-api-orders' && !d.in_progress,
        ),
      )
      const [handler] = subsegmentTree(await collector.waitForQuiet(30), traceId)
      return { status: result.statusCode, body: JSON.parse(result.body), handler: handler! }
    }
    try {
      // No object under the function's S3 prefix yet: the example answers 404.
      const missing = await call()
      expect(missing.status).toBe(404)
      expect(missing.body.message).toBe('No object at orders/user-1')

      const client = new S3Client({
        region: 'us-east-1',
        endpoint: s3.endpoint,
        forcePathStyle: true,
        credentials: { accessKeyId: 'AKIATEST', secretAccessKey: 'test' },
      })
      await client.send(
        new PutObjectCommand({ Bucket: 'orders-bucket', Key: 'orders/user-1', Body: 'hello' }),
      )
      const found = await call()
      expect(found.status).toBe(200)
      expect(found.body).toMatchObject({
        userId: 'user-1',
        orderId: 'o-42',
        cached: false,
        hits: 0,
        objectSize: 5,
      })

      const { handler } = found
      expect(handler.name).toBe('## lego-api-orders')
      expect(handler.entity.annotations).toMatchObject({
        Service: 'orders',
        userId: 'user-1',
        orderId: 'o-42',
      })
      const business = handler.children.map((child) => child.name)
      expect(business).toEqual([
        'Database Query - SELECT now',
        'Redis - Get Cache',
        'OpenSearch - Search',
        'S3 - Head Object',
      ])
      const remote = (node: TraceNode) =>
        node.children.filter((c) => ['remote', 'aws'].includes(String(c.entity.namespace)))
      expect(handler.children.map((child) => remote(child).map((r) => r.name))).toEqual([
        ['test@127.0.0.1'],
        ['Redis'],
        ['OpenSearch'],
        ['S3'],
      ])
      expect(remote(handler.children[3]!)[0]!.entity.aws).toMatchObject({ operation: 'HeadObject' })
    } finally {
      await Promise.allSettled([
        lambda.close(),
        collector.close(),
        s3.close(),
        openSearch.close(),
        removeBundle(bundle),
      ])
    }
  })
})

describe('the synthesized stack of the copy', () => {
  let synth: Awaited<ReturnType<typeof synthAppIn>>
  beforeAll(async () => {
    synth = await synthAppIn(path.join(copy, APP))
  })
  const fn = (id: string) => synth.stack.functions.get(id)!
  const statements = (id: string) => {
    const roleId = synth.idOf(fn(id).role)
    return Object.values(synth.resources('AWS::IAM::Policy'))
      .filter((policy) => JSON.stringify(policy.Properties.Roles).includes(`"${roleId}"`))
      .flatMap(
        (policy) =>
          policy.Properties.PolicyDocument.Statement as {
            Action: string | string[]
            Resource: unknown
          }[],
      )
  }
  const actions = (id: string) => statements(id).flatMap((s) => [s.Action].flat())

  it('has the new function with Active tracing on nodejs24.x and a log group of its own', () => {
    const properties =
      synth.resources('AWS::Lambda::Function')[synth.idOf(fn('orders').function)]!.Properties
    expect(properties.TracingConfig).toEqual({ Mode: 'Active' })
    expect(properties.Runtime).toBe('nodejs24.x')
    expect(properties.LoggingConfig.LogGroup).toEqual({ Ref: synth.idOf(fn('orders').logGroup) })
    expect(
      synth.resources('AWS::Logs::LogGroup')[synth.idOf(fn('orders').logGroup)]!.Properties
        .RetentionInDays,
    ).toBe(30)
    expect(Object.keys(synth.resources('AWS::Lambda::Function'))).toHaveLength(6)
  })

  it('routes GET and DELETE /api/orders/{orderId} to it on the REST API', () => {
    const resources = synth.resources('AWS::ApiGateway::Resource')
    const [orderIdResource] = Object.entries(resources).filter(
      ([, r]) => r.Properties.PathPart === '{orderId}',
    )
    expect(orderIdResource).toBeDefined()
    const parent = resources[orderIdResource![1].Properties.ParentId.Ref]!
    expect(parent.Properties.PathPart).toBe('orders')
    const methods = Object.values(synth.resources('AWS::ApiGateway::Method')).filter(
      (m) =>
        JSON.stringify(m.Properties.ResourceId) === JSON.stringify({ Ref: orderIdResource![0] }),
    )
    expect(methods.map((m) => m.Properties.HttpMethod).sort()).toEqual(['DELETE', 'GET'])
    for (const method of methods) {
      expect(JSON.stringify(method.Properties.Integration.Uri)).toContain(
        synth.idOf(fn('orders').function),
      )
    }
  })

  it('grants exactly what each function uses: S3 under its prefix and its own index for orders, neither for audit', () => {
    const s3 = statements('orders').filter((s) =>
      [s.Action].flat().some((a) => a.startsWith('s3:')),
    )
    expect(s3).toHaveLength(1)
    expect(JSON.stringify(s3[0]!.Resource)).toContain('/orders/*')
    const search = statements('orders').filter((s) =>
      [s.Action].flat().some((a) => a.startsWith('es:')),
    )
    expect(JSON.stringify(search.map((s) => s.Resource))).toMatch(/domain\/lego-search\/orders/)
    expect(JSON.stringify(search.map((s) => s.Resource))).not.toMatch(/mocs|gallery_images/)

    expect(actions('audit').filter((a) => a.startsWith('s3:') || a.startsWith('es:'))).toEqual([])
    const env =
      synth.resources('AWS::Lambda::Function')[synth.idOf(fn('audit').function)]!.Properties
        .Environment.Variables
    expect(Object.keys(env)).toContain('REDIS_URL')
    expect(Object.keys(env).filter((k) => /^(POSTGRES|S3|OPENSEARCH)_/.test(k))).toEqual([])
    const egress = synth.resources('AWS::EC2::SecurityGroupEgress')
    const auditGroup = synth.idOf(fn('audit').securityGroup)
    const auditEgress = Object.values(egress).filter((e) =>
      JSON.stringify(e.Properties.GroupId).includes(`"${auditGroup}"`),
    )
    const inline =
      synth.resources('AWS::EC2::SecurityGroup')[auditGroup]!.Properties.SecurityGroupEgress ?? []
    const ports = [...auditEgress.map((e) => e.Properties), ...inline].map((rule) => rule.FromPort)
    expect(new Set(ports)).toEqual(new Set([6379]))
  })

  it('puts the new function on the dashboard', () => {
    const [dashboard] = Object.values(synth.resources('AWS::CloudWatch::Dashboard'))
    const body = JSON.stringify(dashboard!.Properties.DashboardBody)
    expect(body).toContain('Orders')
    expect(body).toContain(synth.idOf(fn('orders').function))
    expect(body).toContain(synth.idOf(fn('audit').function))
  })
})

it('leaves this repository alone', async () => {
  const manifest = await readFile(path.join(ROOT, 'src/manifest/lego-api.ts'), 'utf8')
  expect(manifest).not.toContain("'orders'")
})
