import { execFile } from 'node:child_process'
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterEach, describe, expect, it } from 'vitest'

/*
 * `xray-scaffold codemod` as a user meets it in a scratch folder outside this repository (not a
 * git work tree): options, exit codes, and every file it must refuse or skip, never written.
 */
const root = path.resolve(import.meta.dirname, '../..')
const bin = path.join(root, 'bin', 'xray-scaffold.mjs')

async function codemod(cwd: string, ...args: string[]) {
  return promisify(execFile)(process.execPath, [bin, 'codemod', ...args], { cwd }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => error,
  )
}

const HANDLER = `import { createClient } from 'redis'

const redis = createClient()

export const handler = async (event: { key: string }) => {
  return { value: await redis.get(event.key) }
}
`

const dirs: string[] = []
async function scratch(files: Record<string, string | Buffer>): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'codemod-cli-'))
  dirs.push(dir)
  await writeFile(path.join(dir, 'package.json'), '{"name":"scratch","private":true}')
  for (const [file, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true })
    await writeFile(path.join(dir, file), content)
  }
  return dir
}

async function contents(dir: string): Promise<Map<string, string>> {
  const found = new Map<string, string>()
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile())
      found.set(
        path.relative(dir, path.join(entry.parentPath, entry.name)),
        await readFile(path.join(entry.parentPath, entry.name), 'latin1'),
      )
  }
  return found
}

afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })))
})

describe('xray-scaffold codemod', () => {
  it('--help lists every option', async () => {
    const { code, stdout } = await codemod('/', '--help')
    expect(code).toBe(0)
    for (const option of [
      '--dry-run',
      '--check',
      '--force',
      '--report <file.md>',
      '--runtime-dir <dir>',
      '--convert-callbacks',
    ])
      expect(stdout).toContain(option)
  })

  it.each([
    [[], "xray-scaffold: missing required argument 'paths' (see --help)"],
    [['--bogus', 'src'], "xray-scaffold: unknown option '--bogus' (see --help)"],
  ])('exits 2 on a usage error: %j', async (args, line) => {
    const { code, stderr } = await codemod('/', ...args)
    expect(code).toBe(2)
    expect(stderr).toBe(`${line}\n`)
  })

  it('skips or refuses what it must not write, each with its reason, and writes none of those', async () => {
    const outside = await scratch({ 'secret.ts': HANDLER })
    const dir = await scratch({
      'src/broken.ts': 'export const handler = async (event) => {\n  return (\n}\n',
      'src/image.ts': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]),
      'src/huge.ts': `// ${'x'.repeat(1024 * 1024)}\n${HANDLER}`,
      'src/hand.ts': `import AWSXRay from 'aws-xray-sdk-core'\n${HANDLER}`,
      'src/plain.ts': 'export const sum = (a: number, b: number) => a + b\n',
      'src/legacy.js':
        "const { createClient } = require('redis')\nconst redis = createClient()\nexports.handler = function (event, context, callback) {\n  callback(null, { statusCode: 200 })\n}\n",
    })
    await symlink(path.join(outside, 'secret.ts'), path.join(dir, 'src', 'linked.ts'))
    const before = await contents(dir)
    const { code, stdout } = await codemod(dir, 'src', 'missing.ts', 'lib/**/*.ts')
    expect(code).toBe(1)
    const lines = stdout.split('\n')
    expect(lines).toContain('  skipped  src/broken.ts: syntax error: line 3: Expression expected.')
    expect(lines).toContain('  skipped  src/image.ts: a binary file')
    expect(lines).toContain('  skipped  src/huge.ts: larger than 1 MiB')
    expect(lines).toContain('  skipped  src/hand.ts: already traced by hand with aws-xray-sdk-core')
    expect(lines).toContain('  skipped  src/linked.ts: a symlink leading out of src')
    expect(lines).toContain(
      `  failed   ${path.join(dir, 'missing.ts').slice(dir.length + 1)}: does not exist`,
    )
    expect(lines).toContain(`  failed   lib/**/*.ts: matches no file`)
    expect(lines).toContain(
      '  note     src/legacy.js line 3: handler is a callback-style handler, which nodejs24.x does not run: rerun with --convert-callbacks to make it async',
    )
    // legacy.js gets its client's capture; its handler is left for --convert-callbacks.
    expect(lines).toContain('  changed  src/legacy.js')
    expect(stdout).toMatch(/^Results: 1 changed, 1 unchanged, 5 skipped, 2 failed \(\d+\.\d s\)$/m)
    const after = await contents(dir)
    for (const file of ['broken', 'image', 'huge', 'hand', 'plain', 'linked'])
      expect(after.get(`src/${file}.ts`), file).toBe(before.get(`src/${file}.ts`))
    expect(after.get('src/legacy.js')).toContain(
      'exports.handler = function (event, context, callback) {',
    )
  })

  it('--convert-callbacks makes a callback-style handler async and traces it', async () => {
    const dir = await scratch({
      'src/legacy.js':
        'exports.handler = function (event, context, callback) {\n  callback(null, { statusCode: 200, body: event.body })\n}\n',
    })
    const { code } = await codemod(dir, '--convert-callbacks', 'src/legacy.js')
    expect(code).toBe(0)
    const text = await readFile(path.join(dir, 'src/legacy.js'), 'utf8')
    expect(text).toContain(
      "exports.handler = withTracing({ service: 'legacy' }, async function (event, context) {",
    )
    // The rewritten handler behaves as before: it resolves with what it passed to the callback.
    const source = text.replace(/^const \{ withTracing \} = require\('\.\/lib\/tracing'\)\n/m, '')
    const converted = new Function('exports', 'withTracing', source) as (
      exports: Record<string, (e: unknown, c: unknown) => Promise<unknown>>,
      withTracing: (config: unknown, fn: unknown) => unknown,
    ) => void
    const exported: Record<string, (e: unknown, c: unknown) => Promise<unknown>> = {}
    converted(exported, (_config, fn) => fn)
    await expect(exported.handler!({ body: 'hi' }, {})).resolves.toEqual({
      statusCode: 200,
      body: 'hi',
    })
  })

  it('--runtime-dir puts the runtime where asked and imports it relative to each file', async () => {
    const dir = await scratch({ 'functions/api/get.ts': HANDLER })
    const { code, stdout } = await codemod(dir, '--runtime-dir', 'shared/tracing', 'functions')
    expect(code, stdout).toBe(0)
    expect(stdout).toContain('generated the tracing runtime in shared/tracing/')
    const text = await readFile(path.join(dir, 'functions/api/get.ts'), 'utf8')
    expect(text).toContain("import { traced, withTracing } from '../../shared/tracing'")
    expect(text).toContain("import { captureRedis } from '../../shared/tracing/capture-redis'")
    expect(await readdir(path.join(dir, 'shared/tracing'))).toContain('capture-redis.ts')
  })
})
