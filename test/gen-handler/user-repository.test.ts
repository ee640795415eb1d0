import { execFile, spawn } from 'node:child_process'
import { readFile, rm } from 'node:fs/promises'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  cli,
  ROOT,
  runVitest,
  scratchUserRepository,
  snapshot,
  synthAppIn,
  tscErrors,
  USER_PACKAGE_JSON,
  type CliResult,
} from './scratch'

// `gen handler --config` on a repository outside this one, with its own package.json and
// tsconfig.json, a config and no runtime yet. Its generated test uses the real Postgres and
// Redis: run this file under flock /tmp/xray-scaffold-db.lock.

const BIN = path.join(ROOT, 'bin/xray-scaffold.mjs')
let repo: string
let result: CliResult

beforeAll(async () => {
  repo = await scratchUserRepository()
  // As a user runs it: the package's bin, from a folder that is neither repository.
  result = await promisify(execFile)(
    process.execPath,
    [
      BIN,
      'gen',
      'handler',
      '--config',
      path.join(repo, 'xray-scaffold.config.ts'),
      '--service',
      'carts',
      '--name',
      'get-cart',
      '--route',
      'GET /carts/{cartId}',
      '--uses',
      'postgres,redis,s3',
      '--annotate',
      'userId,cartId',
    ],
    { cwd: '/' },
  ).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: CliResult) => error,
  )
})
afterAll(() => rm(repo, { recursive: true, force: true }))

describe("gen handler in a user's repository (--config)", () => {
  it('generates the runtime, the traced clients and the infra there, with the handler, its test and the config entry', async () => {
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    const files = await snapshot(repo)
    for (const file of [
      'src/functions/carts.ts',
      'test/functions/carts.test.ts',
      'src/lib/tracing/index.ts',
      'src/lib/tracing/with-tracing.ts',
      'src/lib/db/client.ts',
      'src/lib/db/schema.ts',
      'src/lib/cache/redis.ts',
      'src/lib/storage/s3.ts',
      'infra/app-stack.ts',
      'infra/services.ts',
      'cdk.json',
    ]) {
      expect(files.has(file), file).toBe(true)
      expect(result.stdout).toContain(`created  ${file}`)
    }
    expect(result.stdout).toMatch(/changed {2}xray-scaffold\.config\.ts/)
    expect(files.get('xray-scaffold.config.ts')).toContain("// The shop's xray-scaffold config.")
    expect(files.get('xray-scaffold.config.ts')).toMatch(/id: "carts"/)
    expect(result.stdout.trimEnd().split('\n').at(-1)).toBe(
      'Next: npx vitest run test/functions/carts.test.ts',
    )
  })

  it("never writes the user's package.json or tsconfig.json, and nothing outside the repository's own folders", async () => {
    expect(await readFile(path.join(repo, 'package.json'), 'utf8')).toBe(USER_PACKAGE_JSON)
    const files = [...(await snapshot(repo)).keys()]
    expect(files.filter((f) => !/^(src|infra|test)\//.test(f)).sort()).toEqual([
      '.xray-scaffold-files.json',
      'cdk.json',
      'package-lock.json',
      'package.json',
      'tsconfig.json',
      'xray-scaffold.config.ts',
    ])
  })

  it("compiles under the repository's own tsconfig, and gen --check is clean", async () => {
    expect(await tscErrors(path.join(repo, 'tsconfig.json'))).toBe('')
    const check = await cli(
      'gen',
      '--check',
      '--config',
      path.join(repo, 'xray-scaffold.config.ts'),
    )
    expect(check.stderr).toBe('')
    expect(check.code).toBe(0)
  })

  it('writes a test that passes there', async () => {
    const { ok, output } = await runVitest(repo, 'test/functions/carts.test.ts')
    expect(output).toMatch(/Tests\s+3 passed/)
    expect(ok, output).toBe(true)
  })

  it('synthesizes a stack with the function traced, logged, routed and granted its S3 prefix only', async () => {
    const synth = await synthAppIn(repo)
    const fn = synth.stack.functions.get('carts')!
    const properties = synth.resources('AWS::Lambda::Function')[synth.idOf(fn.function)]!.Properties
    expect(properties.TracingConfig).toEqual({ Mode: 'Active' })
    expect(properties.LoggingConfig.LogGroup).toEqual({ Ref: synth.idOf(fn.logGroup) })
    const parts = Object.values(synth.resources('AWS::ApiGateway::Resource')).map(
      (r) => r.Properties.PathPart,
    )
    expect(parts.sort()).toEqual(['carts', '{cartId}'])
    const policy = JSON.stringify(synth.resources('AWS::IAM::Policy'))
    expect(policy).toContain('/carts/*')
    expect(policy).not.toContain('es:ESHttp')
  })

  it('gen stops on a file it did not write in a folder it writes, naming it', async () => {
    const stray = path.join(repo, 'src/lib/tracing/mine.ts')
    await import('node:fs/promises').then((fs) => fs.writeFile(stray, 'export {}\n'))
    const run = await cli('gen', '--config', path.join(repo, 'xray-scaffold.config.ts'))
    expect(run.code).toBe(1)
    expect(run.stderr).toContain(
      'src/lib/tracing/mine.ts is in src/lib/tracing/, which gen writes, but gen did not write it',
    )
    await rm(stray)
  })
})

describe('prompts', () => {
  it('without a TTY, a missing flag is a one-line error at once, never a wait for input', async () => {
    const child = spawn(
      process.execPath,
      [BIN, 'gen', 'handler', '--config', path.join(repo, 'xray-scaffold.config.ts')],
      {
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    )
    let stderr = ''
    child.stderr.on('data', (chunk) => (stderr += chunk))
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
    expect(code).toBe(2)
    expect(stderr).toBe(
      'xray-scaffold: --service is missing; give a kebab-case name like --service get-order\n',
    )
  })

  it('on a TTY (a pseudo-terminal from script(1)), asks for what the flags leave out, with defaults', async () => {
    const fresh = await scratchUserRepository()
    try {
      const command = `${process.execPath} ${BIN} gen handler --config ${path.join(fresh, 'xray-scaffold.config.ts')} --uses redis`
      const child = spawn('script', ['-qec', command, '/dev/null'], {
        stdio: ['pipe', 'pipe', 'pipe'],
      })
      let screen = ''
      child.stdout.on('data', (chunk) => (screen += chunk))
      const answer = async (prompt: string, keys: string) => {
        const deadline = Date.now() + 30_000
        while (!screen.includes(prompt)) {
          if (Date.now() > deadline) throw new Error(`no prompt "${prompt}" on:\n${screen}`)
          await new Promise((resolve) => setTimeout(resolve, 50))
        }
        screen = screen.slice(screen.indexOf(prompt) + prompt.length)
        child.stdin.write(keys)
      }
      await answer('Function (kebab-case service id', 'wallets\r')
      await answer('Name of what it does', '\r') // the default, get-item
      await answer('Route (METHOD /path', '\r') // the default, GET /api/wallets/{id}
      await answer('Annotations', '\r') // the default, userId,id
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
      expect(code).toBe(0)
      const config = await readFile(path.join(fresh, 'xray-scaffold.config.ts'), 'utf8')
      expect(config).toContain('path: "/api/wallets/{id}"')
      expect(config).toContain('id: { from: "pathParameter", name: "id" }')
      expect(config).toContain('dependencies: ["redis"]')
      expect(await readFile(path.join(fresh, 'src/functions/wallets.ts'), 'utf8')).toContain(
        'async function getItem(',
      )
    } finally {
      await rm(fresh, { recursive: true, force: true })
    }
  })
})
