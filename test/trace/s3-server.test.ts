import { createHash } from 'node:crypto'
import { Readable } from 'node:stream'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  NoSuchKey,
  NotFound,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3'
import { getSignedUrl } from '@aws-sdk/s3-request-presigner'
import { startS3Server, type S3Server } from '../support/s3-server'

const credentials = {
  accessKeyId: 'AKIATESTTESTTEST0000',
  secretAccessKey: 'test-secret-access-key',
}
let server: S3Server

beforeAll(async () => {
  server = await startS3Server()
})
afterAll(() => server.close())
beforeEach(() => server.clear())

describe('the loopback S3 server, driven by the real @aws-sdk/client-s3', () => {
  const client = () =>
    new S3Client({
      region: 'us-east-1',
      endpoint: server.endpoint,
      forcePathStyle: true,
      credentials,
    })

  it('stores a PutObject and serves it back with GetObject and HeadObject', async () => {
    const s3 = client()
    const put = await s3.send(
      new PutObjectCommand({
        Bucket: 'lego',
        Key: 'images/user-1/img 1',
        Body: 'png bytes',
        ContentType: 'image/png',
      }),
    )
    expect(put.ETag).toBe(`"${createHash('md5').update('png bytes').digest('hex')}"`)
    expect(put.$metadata.httpStatusCode).toBe(200)
    expect(put.$metadata.requestId).toMatch(/^[0-9A-F]{16}$/)

    const got = await s3.send(new GetObjectCommand({ Bucket: 'lego', Key: 'images/user-1/img 1' }))
    expect(got.ContentType).toBe('image/png')
    expect(got.ETag).toBe(put.ETag)
    expect(await got.Body!.transformToString()).toBe('png bytes')

    const head = await s3.send(
      new HeadObjectCommand({ Bucket: 'lego', Key: 'images/user-1/img 1' }),
    )
    expect(head.ContentLength).toBe(9)
    expect(server.requests().map((r) => [r.method, r.bucket, r.key, r.status])).toEqual([
      ['PUT', 'lego', 'images/user-1/img 1', 200],
      ['GET', 'lego', 'images/user-1/img 1', 200],
      ['HEAD', 'lego', 'images/user-1/img 1', 200],
    ])
  })

  it('decodes a streamed body the SDK sends aws-chunked', async () => {
    const s3 = client()
    const body = Readable.from([Buffer.from('part one, '), Buffer.from('part two')])
    await s3.send(
      new PutObjectCommand({
        Bucket: 'lego',
        Key: 'mocs/u/m/instructions.pdf',
        Body: body,
        ContentLength: 18,
        ContentType: 'application/pdf',
      }),
    )
    const [request] = server.requests()
    expect(request.headers['content-encoding']).toContain('aws-chunked')
    expect(server.object('lego', 'mocs/u/m/instructions.pdf')!.body.toString()).toBe(
      'part one, part two',
    )
  })

  it('answers a missing key with NoSuchKey (GET) and NotFound (HEAD)', async () => {
    const s3 = client()
    await expect(
      s3.send(new GetObjectCommand({ Bucket: 'lego', Key: 'missing' })),
    ).rejects.toBeInstanceOf(NoSuchKey)
    await expect(
      s3.send(new HeadObjectCommand({ Bucket: 'lego', Key: 'missing' })),
    ).rejects.toBeInstanceOf(NotFound)
  })

  it('deletes with 204, whether or not the key existed', async () => {
    const s3 = client()
    await s3.send(new PutObjectCommand({ Bucket: 'lego', Key: 'avatars/user-1', Body: 'x' }))
    const deleted = await s3.send(
      new DeleteObjectCommand({ Bucket: 'lego', Key: 'avatars/user-1' }),
    )
    expect(deleted.$metadata.httpStatusCode).toBe(204)
    expect(server.object('lego', 'avatars/user-1')).toBeUndefined()
    await s3.send(new DeleteObjectCommand({ Bucket: 'lego', Key: 'avatars/user-1' }))
  })

  it('serves a presigned GetObject URL (signatures are not checked)', async () => {
    const s3 = client()
    await s3.send(
      new PutObjectCommand({ Bucket: 'lego', Key: 'mocs/u/m/instructions.pdf', Body: '%PDF' }),
    )
    const url = await getSignedUrl(
      s3,
      new GetObjectCommand({ Bucket: 'lego', Key: 'mocs/u/m/instructions.pdf' }),
      {
        expiresIn: 3600,
      },
    )
    expect(url).toMatch(
      new RegExp(`^${server.endpoint}/lego/mocs/u/m/instructions.pdf\\?.*X-Amz-Signature=`),
    )
    expect(await (await fetch(url)).text()).toBe('%PDF')
  })
})

describe('AWS_ENDPOINT_URL_S3', () => {
  it('is read natively by S3Client, which then uses path style for an IP endpoint without forcePathStyle', async () => {
    process.env.AWS_ENDPOINT_URL_S3 = server.endpoint
    try {
      const s3 = new S3Client({ region: 'us-east-1', credentials })
      await s3.send(new PutObjectCommand({ Bucket: 'lego', Key: 'from-env', Body: 'env' }))
      const [request] = server.requests()
      expect(request).toMatchObject({ method: 'PUT', bucket: 'lego', key: 'from-env' })
      // Path style: the bucket is in the path, the host is the endpoint's.
      expect(request.headers.host).toBe(new URL(server.endpoint).host)
      const got = await s3.send(new GetObjectCommand({ Bucket: 'lego', Key: 'from-env' }))
      expect(await got.Body!.transformToString()).toBe('env')
    } finally {
      delete process.env.AWS_ENDPOINT_URL_S3
    }
  })
})
