import path from 'node:path'
import type { APIGatewayProxyResult } from 'aws-lambda'
import { createClient } from 'redis'
import { afterAll, describe, expect, it } from 'vitest'
import { startCollector, type Collector } from '../../src/trace/collector'
import { appEnvironment, restEvent, TEST_USER_ID, type EventInput } from '../support/lambda'
import {
  bundleFunction,
  removeBundle,
  startLambda,
  type FunctionBundle,
} from '../support/lambda-process'
import { startOpenSearchServer } from '../support/opensearch-server'
import { queryDatabase, resetDatabase } from '../support/postgres'
import { startS3Server } from '../support/s3-server'

/*
 * A retrofitted handler behaves as before: for each lego-api service, the untraced handler
 * (test/fixtures/lego-api) and the one the codemod retrofitted (generated/lego-api) are bundled
 * and run as Lambda runs them, each from the same clean state (real Postgres and Redis, fresh
 * loopback S3 and OpenSearch), and must answer the same requests with the same responses, once
 * ids, dates, ports and signatures, which differ on every run, are numbered in order.
 * Uses the shared Postgres and Redis: run under `flock /tmp/xray-scaffold-db.lock`.
 */
const root = path.resolve(import.meta.dirname, '../..')
const BUCKET = 'lego-api-files'
const IMAGE = Buffer.from('image-bytes').toString('base64')

/** One request of a script; `{id}` in its path parameters is the id the script captured last. */
interface Step {
  readonly input: EventInput
  /** Keep `body.id` of the answer for later steps. */
  readonly captureId?: boolean
}

const SCRIPTS: Record<string, readonly Step[]> = {
  'moc-instructions': [
    {
      input: {
        method: 'POST',
        resource: '/api/mocs',
        body: JSON.stringify({ title: 'Millennium Falcon', description: 'UCS 75192' }),
      },
      captureId: true,
    },
    { input: { method: 'GET', resource: '/api/mocs/{id}', pathParameters: { id: '{id}' } } },
    { input: { method: 'GET', resource: '/api/mocs/{id}', pathParameters: { id: '{id}' } } },
    { input: { method: 'GET', resource: '/api/mocs', query: { q: 'falcon' } } },
    { input: { method: 'DELETE', resource: '/api/mocs/{id}', pathParameters: { id: '{id}' } } },
    { input: { method: 'GET', resource: '/api/mocs/{id}', pathParameters: { id: '{id}' } } },
    { input: { method: 'POST', resource: '/api/mocs', body: '{not json' } },
  ],
  gallery: [
    {
      input: {
        method: 'POST',
        resource: '/api/images',
        body: JSON.stringify({ title: 'Falcon', contentType: 'image/webp', data: IMAGE }),
      },
      captureId: true,
    },
    {
      input: {
        method: 'GET',
        resource: '/api/images/{imageId}',
        pathParameters: { imageId: '{id}' },
      },
    },
    { input: { method: 'GET', resource: '/api/images', query: { q: 'falcon' } } },
    {
      input: {
        method: 'GET',
        resource: '/api/images/{imageId}',
        pathParameters: { imageId: '00000000-0000-4000-8000-000000000000' },
      },
    },
  ],
  wishlist: [
    {
      input: {
        method: 'POST',
        resource: '/api/wishlist',
        body: JSON.stringify({ setNumber: '75192', name: 'Millennium Falcon' }),
      },
      captureId: true,
    },
    { input: { method: 'GET', resource: '/api/wishlist' } },
    { input: { method: 'GET', resource: '/api/wishlist' } },
    {
      input: {
        method: 'DELETE',
        resource: '/api/wishlist/{itemId}',
        pathParameters: { itemId: '{id}' },
      },
    },
    { input: { method: 'GET', resource: '/api/wishlist', userId: null } },
  ],
  profile: [
    { input: { method: 'GET', resource: '/api/profile' } },
    {
      input: {
        method: 'PUT',
        resource: '/api/profile/avatar',
        body: JSON.stringify({ contentType: 'image/png', data: IMAGE }),
      },
    },
    { input: { method: 'GET', resource: '/api/profile' } },
    { input: { method: 'GET', resource: '/api/profile', userId: 'user-without-profile' } },
  ],
}

/** Numbers what differs from run to run (ids, dates, ports, signatures) in order of appearance. */
function normalise(text: string): string {
  const seen = new Map<string, string>()
  const number = (kind: string) => (value: string) => {
    if (!seen.has(value)) seen.set(value, `<${kind}${seen.size}>`)
    return seen.get(value)!
  }
  return text
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, number('id'))
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, '<date>')
    .replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:<port>')
    .replace(/(X-Amz-(Date|Signature|Credential|Security-Token))=[^&"\\]+/g, '$1=<value>')
}

/** Runs a service's script against one bundle from a clean state; the normalised answers. */
async function runScript(
  service: string,
  bundle: FunctionBundle,
  collector: Collector,
): Promise<string[]> {
  const s3 = await startS3Server()
  const openSearch = await startOpenSearchServer({ indices: ['mocs', 'gallery_images'] })
  await resetDatabase()
  await flushAppKeys()
  if (service === 'profile')
    await queryDatabase('INSERT INTO profiles (user_id, display_name) VALUES ($1, $2)', [
      TEST_USER_ID,
      'Brick Builder',
    ])
  const lambda = await startLambda({
    bundle: bundle.file,
    env: {
      ...appEnvironment({ s3: s3.endpoint, openSearch: openSearch.endpoint, bucket: BUCKET }),
      AWS_XRAY_DAEMON_ADDRESS: collector.address,
      AWS_LAMBDA_FUNCTION_NAME: `lego-api-${service}`,
    },
  })
  const answers: string[] = []
  try {
    let id = ''
    for (const step of SCRIPTS[service]!) {
      const pathParameters = step.input.pathParameters
        ? Object.fromEntries(
            Object.entries(step.input.pathParameters).map(([k, v]) => [k, v === '{id}' ? id : v]),
          )
        : undefined
      const input = { ...step.input, ...(pathParameters ? { pathParameters } : {}) }
      const { result } = await lambda.invoke<APIGatewayProxyResult>(restEvent(input))
      if (step.captureId) id = (JSON.parse(result.body) as { id: string }).id
      answers.push(`${input.method} ${input.resource}: ${result.statusCode} ${result.body}`)
    }
  } finally {
    await Promise.allSettled([lambda.close(), s3.close(), openSearch.close()])
  }
  return answers.map(normalise)
}

async function flushAppKeys(): Promise<void> {
  const client = await createClient({ url: 'redis://127.0.0.1:6379' }).connect()
  try {
    for (const pattern of ['moc:*', 'wishlist:*', 'profile:*']) {
      const keys = await client.keys(pattern)
      if (keys.length > 0) await client.del(keys)
    }
  } finally {
    await client.quit()
  }
}

describe('the retrofitted lego-api behaves as the untraced one', () => {
  const bundles: FunctionBundle[] = []
  let collector: Collector | undefined
  afterAll(async () => {
    await Promise.allSettled([collector?.close(), ...bundles.map(removeBundle)])
  })

  for (const service of Object.keys(SCRIPTS)) {
    it(service, async () => {
      collector ??= await startCollector()
      const untraced = await bundleFunction(
        path.join(root, 'test/fixtures/lego-api/src/functions', `${service}.ts`),
        { name: `${service}-untraced` },
      )
      const retrofitted = await bundleFunction(
        path.join(root, 'generated/lego-api/src/functions', `${service}.ts`),
        { name: service },
      )
      bundles.push(untraced, retrofitted)
      const before = await runScript(service, untraced, collector)
      const after = await runScript(service, retrofitted, collector)
      expect(after).toEqual(before)
      // The script exercised the service: not only errors.
      expect(before.some((answer) => / 20[01] /.test(answer))).toBe(true)
    })
  }
})
