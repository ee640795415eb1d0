import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runTrace } from './support/run-trace-cli'

/*
 * What `xray-scaffold trace` refuses before it starts anything: these runs touch neither
 * Postgres nor Redis, so they need no lock.
 */

let scratch: string
beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'xray-trace-usage-'))
})
afterAll(() => rm(scratch, { recursive: true, force: true }))

describe('xray-scaffold trace usage', () => {
  it('documents its forms and options with --help', async () => {
    const run = await runTrace(['--help'], { cwd: scratch })
    expect(run.code).toBe(0)
    for (const option of [
      '--all',
      '--from <files...>',
      '--user <id>',
      '--body <file>',
      '--filter <expression>',
      '--html <file>',
      '--json <file>',
    ]) {
      expect(run.stdout).toContain(option)
    }
  })

  it.each([
    [[], 'trace needs one of: <service> "<METHOD> <path>", --all, or --from <file…>'],
    [
      ['--all', '--from', 'x.json'],
      'trace needs one of: <service> "<METHOD> <path>", --all, or --from <file…>',
    ],
    [['wishlist'], 'trace wishlist needs the route too, for example: trace wishlist "GET /api/…"'],
    [
      ['--all', '--user', 'u1'],
      '--user and --body go with one route: trace <service> "<METHOD> <path>"',
    ],
    [['wishlist', 'GET /api/wishlist', '--filter', 'fault'], '--filter goes with --all or --from'],
    [
      ['orders', 'GET /api/orders'],
      'no service "orders" in lego-api; its services are moc-instructions, gallery, wishlist, profile',
    ],
    [
      ['wishlist', 'GET /api/mocs'],
      'wishlist has no route GET /api/mocs; its routes are GET /api/wishlist, POST /api/wishlist, DELETE /api/wishlist/{itemId}',
    ],
    [
      ['wishlist', '/api/wishlist'],
      '"/api/wishlist" is not "<METHOD> <path>" (for example "GET /api/mocs/{id}")',
    ],
  ])('exits 2 with one line for %j', async (args, message) => {
    const run = await runTrace(args, { cwd: scratch })
    expect(run.stdout).toBe('')
    expect(run.stderr).toBe(`xray-scaffold: ${message}\n`)
    expect(run.code).toBe(2)
  })

  it('names a --from file that does not exist, exit 1', async () => {
    const run = await runTrace(['--from', 'missing.json'], { cwd: scratch })
    expect(run.code).toBe(1)
    expect(run.stderr).toBe('xray-scaffold: missing.json: cannot be read (ENOENT)\n')
  })

  it('reads raw segment documents one per line, as the daemon receives them', async () => {
    const traceId = `1-${Math.floor(Date.now() / 1000).toString(16)}-0123456789abcdef01234567`
    const lines = [
      '{"format":"json","version":1}',
      JSON.stringify({
        id: 'aaaaaaaaaaaaaaaa',
        name: 'checkout',
        trace_id: traceId,
        start_time: 1.7e9,
        end_time: 1.7e9 + 0.05,
        annotations: { userId: 'u9' },
      }),
      '{"format":"json","version":1}',
      JSON.stringify({
        id: 'bbbbbbbbbbbbbbbb',
        name: 'Redis',
        type: 'subsegment',
        namespace: 'remote',
        parent_id: 'aaaaaaaaaaaaaaaa',
        trace_id: traceId,
        start_time: 1.7e9 + 0.01,
        end_time: 1.7e9 + 0.02,
        fault: true,
      }),
    ]
    await writeFile(path.join(scratch, 'daemon.ndjson'), `${lines.join('\n')}\n`)
    const run = await runTrace(
      ['--from', 'daemon.ndjson', '--filter', 'annotation.userId = "u9" AND fault'],
      { cwd: scratch },
    )
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    const rows = run.stdout.split('\n').filter((l) => l.includes('│'))
    expect(rows).toHaveLength(2)
    expect(rows[0]).toMatch(/^checkout\s+│█{32}│\s+50\.0 ms\s+userId=u9$/)
    expect(rows[1]).toMatch(/^ {2}Redis\s+│ {6}█{6,7} *│\s+10\.0 ms remote FAULT$/)
    expect(run.stdout).toContain('trace: 1 of 1 traces match')
  })
})
