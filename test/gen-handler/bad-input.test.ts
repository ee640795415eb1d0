import { appendFile, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cli, scratchUserRepository, snapshot } from './scratch'

// A user's repository whose config already has one function, `carts`, serving GET /carts.
let repo: string
let config: string
const CARTS = `[{ id: 'carts', title: 'Carts', constructName: 'Carts', routes: [{ method: 'GET', path: '/carts' }], annotations: { userId: { from: 'claim', name: 'sub' } }, dependencies: ['redis'] }]`

beforeAll(async () => {
  repo = await scratchUserRepository(CARTS)
  config = path.join(repo, 'xray-scaffold.config.ts')
})
afterAll(() => rm(repo, { recursive: true, force: true }))

const handler = (...args: string[]) => cli('gen', 'handler', '--config', config, ...args)
const valid = { service: 'orders', name: 'get-order', route: 'GET /orders/{orderId}' }
/** The valid command with one flag replaced (or removed, with `undefined`). */
function withFlag(flag: keyof typeof valid | 'uses' | 'annotate', value: string | undefined) {
  const flags: Record<string, string | undefined> = { ...valid, [flag]: value }
  return Object.entries(flags).flatMap(([name, v]) => (v === undefined ? [] : [`--${name}`, v]))
}

describe('gen handler refuses bad input: one line, exit 2, nothing written', () => {
  it.each([
    ['a name that is not kebab-case', 'name', 'GetOrder', /--name "GetOrder" is not kebab-case/],
    ['a name with a double hyphen', 'name', 'get--order', /is not kebab-case/],
    ['a reserved word as name', 'name', 'delete', /--name "delete" is a reserved word/],
    ['a name that is a path up', 'name', '../x', /--name "\.\.\/x" is a path/],
    ['a name that is a nested path', 'name', 'a/b', /--name "a\/b" is a path/],
    ['an empty name', 'name', '', /--name is empty/],
    ['an empty service', 'service', '', /--service is empty/],
    ['a service that is a path', 'service', '../../etc', /--service "\.\.\/\.\.\/etc" is a path/],
    ['a method that is no HTTP method', 'route', 'FETCH /orders', /"FETCH" is not an HTTP method/],
    ['a lowercase method', 'route', 'get /orders', /"get" is not an HTTP method/],
    ['a path without a leading /', 'route', 'GET orders', /does not start with "\/"/],
    ['a path with an unclosed brace', 'route', 'GET /orders/{orderId', /unbalanced braces/],
    ['a path with a stray closing brace', 'route', 'GET /orders/orderId}', /unbalanced braces/],
    ['a route without a path', 'route', 'GET', /is not "<METHOD> <path>"/],
    [
      'a path parameter that is no annotation key',
      'route',
      'GET /orders/{order-id}',
      /annotation key "order-id" is not a valid X-Ray annotation key/,
    ],
    ['an unknown dependency', 'uses', 'postgres,mysql', /--uses "mysql" is not a dependency/],
    [
      'an annotation on a parameter no route has',
      'annotate',
      'userId,cartId',
      /reads path parameter "cartId", which no route of the service has/,
    ],
    [
      'a route another function serves',
      'route',
      'GET /carts',
      /route "GET \/carts" is also served by service "carts"/,
    ],
    ['a missing --route (no TTY to ask on)', 'route', undefined, /--route is missing/],
    ['a missing --name (no TTY to ask on)', 'name', undefined, /--name is missing/],
  ] as const)('%s', async (_, flag, value, message) => {
    const before = await snapshot(repo)
    const result = await handler(...withFlag(flag, value))
    expect(result.code).toBe(2)
    expect(result.stdout).toBe('')
    expect(result.stderr).toMatch(message)
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1)
    expect(await snapshot(repo)).toEqual(before)
  })

  it('a config that does not exist', async () => {
    const result = await cli('gen', 'handler', '--config', path.join(repo, 'nope.config.ts'))
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/config ".*nope.config.ts" does not exist/)
  })
})

describe('gen handler --help', () => {
  it('lists every flag', async () => {
    const { code, stdout } = await cli('gen', 'handler', '--help')
    expect(code).toBe(0)
    for (const flag of [
      '--service',
      '--name',
      '--route',
      '--uses',
      '--annotate',
      '--config',
      '--force',
    ]) {
      expect(stdout).toContain(flag)
    }
  })
})

describe('an existing handler', () => {
  const args = [
    '--service',
    'wallet',
    '--name',
    'get-wallet',
    '--route',
    'GET /wallet',
    '--uses',
    'redis',
  ]

  it('is refused without --force; with --force it is replaced and the diff shows what was replaced', async () => {
    expect((await handler(...args)).code).toBe(0)
    const handlerFile = path.join(repo, 'src/functions/wallet.ts')
    await appendFile(handlerFile, '// my business logic\n')
    const before = await snapshot(repo)

    const refused = await handler(...args)
    expect(refused.code).toBe(2)
    expect(refused.stderr).toMatch(
      /^xray-scaffold: src\/functions\/wallet.ts already exists.*--force/,
    )
    expect(await snapshot(repo)).toEqual(before)

    const forced = await handler(...args, '--force')
    expect(forced.code).toBe(0)
    expect(forced.stdout).toContain('changed  src/functions/wallet.ts')
    expect(forced.stdout).toContain('--- a/src/functions/wallet.ts')
    expect(forced.stdout).toContain('-// my business logic')
  })

  it('gives byte-identical files when the same command runs twice with --force, and gen --check is clean', async () => {
    await handler(...args, '--force')
    const first = await snapshot(repo)
    const again = await handler(...args, '--force')
    expect(again.code).toBe(0)
    expect(again.stdout).not.toContain('created')
    expect(again.stdout).not.toContain('changed')
    expect(await snapshot(repo)).toEqual(first)
    const check = await cli('gen', '--check', '--config', config)
    expect(check.stderr).toBe('')
    expect(check.code).toBe(0)
  })

  it('an existing function gains a new route in config and infra; its handler is left to its author', async () => {
    const handlerBefore = (await snapshot(repo)).get('src/functions/wallet.ts')
    const result = await handler(
      '--service',
      'wallet',
      '--name',
      'top-up',
      '--route',
      'POST /wallet',
    )
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/changed {2}xray-scaffold\.config\.ts/)
    expect(result.stdout).toMatch(/changed {2}infra\/services\.ts/)
    // Formatted with the repository's prettier settings: here none, so prettier's defaults.
    expect(result.stdout).toContain('+      { method: "POST", path: "/wallet" },')
    expect(result.stdout).toContain('Note: src/functions/wallet.ts is yours')
    const after = await snapshot(repo)
    expect(after.get('src/functions/wallet.ts')).toBe(handlerBefore)
    expect(after.get('infra/services.ts')).toContain('{ method: "POST", path: "/wallet" }')
  })
})

describe('a failure half-way', () => {
  it('leaves nothing of the run behind', async () => {
    const fresh = await scratchUserRepository()
    try {
      // The test's folder is taken by a file: staging the test fails after the handler, the
      // config and the runtime were staged.
      await writeFile(path.join(fresh, 'test'), 'not a folder\n')
      const before = await snapshot(fresh)
      const result = await cli(
        'gen',
        'handler',
        '--config',
        path.join(fresh, 'xray-scaffold.config.ts'),
        '--service',
        'orders',
        '--name',
        'get-order',
        '--route',
        'GET /orders',
        '--uses',
        'postgres',
      )
      expect(result.code).toBe(1)
      expect(result.stderr.trimEnd().split('\n')).toHaveLength(1)
      expect(await snapshot(fresh)).toEqual(before)
    } finally {
      await rm(fresh, { recursive: true, force: true })
    }
  })
})
