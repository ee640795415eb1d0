import { execFile } from 'node:child_process'
import { cp, mkdir, mkdtemp, readdir, readFile, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { App, Stack, type CfnElement } from 'aws-cdk-lib'
import { Template } from 'aws-cdk-lib/assertions'
import { main } from '../../src/cli/main'

/** This repository. */
export const ROOT = path.resolve(import.meta.dirname, '../..')
const run = promisify(execFile)

/** What one CLI run printed and returned. */
export interface CliResult {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

/**
 * Runs the `xray-scaffold` CLI in this process (the same `main` the bin calls), capturing what it
 * writes. Standard input is not a TTY here, so nothing is ever prompted for.
 */
export async function cli(...args: string[]): Promise<CliResult> {
  const out: string[] = []
  const err: string[] = []
  const stdout = process.stdout.write
  const stderr = process.stderr.write
  const log = console.log
  process.stdout.write = ((chunk: string) => out.push(String(chunk)) > 0) as typeof stdout
  process.stderr.write = ((chunk: string) => err.push(String(chunk)) > 0) as typeof stderr
  console.log = (...parts: unknown[]) => void out.push(`${parts.join(' ')}\n`)
  process.exitCode = undefined
  try {
    const code = await main(['node', 'xray-scaffold', ...args])
    return { code, stdout: out.join(''), stderr: err.join('') }
  } finally {
    process.stdout.write = stdout
    process.stderr.write = stderr
    console.log = log
    process.exitCode = undefined
  }
}

/** Every file under `dir` (node_modules and .git left out): relative path → content. */
export async function snapshot(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>()
  const entries = await readdir(dir, { recursive: true, withFileTypes: true })
  for (const entry of entries) {
    const file = path.relative(dir, path.join(entry.parentPath, entry.name))
    if (!entry.isFile() || /(^|\/)(node_modules|\.git)(\/|$)/.test(file)) continue
    files.set(file, await readFile(path.join(dir, file), 'utf8'))
  }
  return files
}

async function linkNodeModules(dir: string): Promise<void> {
  await symlink(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir')
}

/**
 * A copy of this repository as a user clones it (sources, templates, scaffolds, the committed
 * lego-api and its untraced fixture, config files), sharing this one's node_modules.
 */
export async function scratchCopyOfRepository(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'xray-scaffold-copy-'))
  for (const entry of [
    'bin',
    'src',
    'templates',
    'scaffolds',
    'generated',
    'plopfile.ts',
    'xray-scaffold.config.ts',
    'package.json',
    'package-lock.json',
    'tsconfig.json',
    '.prettierrc.json',
    'vitest.config.ts',
    'test/fixtures',
  ]) {
    await cp(path.join(ROOT, entry), path.join(dir, entry), { recursive: true })
  }
  await linkNodeModules(dir)
  return dir
}

/** The package.json of a user's repository: `gen` must never touch it. */
export const USER_PACKAGE_JSON = `${JSON.stringify({ name: 'shop', private: true, type: 'module' }, null, 2)}\n`

/**
 * A user's repository outside this one: its own package.json, tsconfig.json and config naming
 * `services` (none by default), no runtime, clients or infra yet.
 */
export async function scratchUserRepository(services = '[]'): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'xray-scaffold-user-'))
  await writeFile(path.join(dir, 'package.json'), USER_PACKAGE_JSON)
  await writeFile(
    path.join(dir, 'package-lock.json'),
    `${JSON.stringify({ name: 'shop', lockfileVersion: 3, requires: true, packages: {} }, null, 2)}\n`,
  )
  await writeFile(
    path.join(dir, 'tsconfig.json'),
    `${JSON.stringify(
      {
        compilerOptions: {
          target: 'es2023',
          lib: ['es2023'],
          module: 'preserve',
          moduleResolution: 'bundler',
          types: ['node'],
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          esModuleInterop: true,
          isolatedModules: true,
        },
        include: ['src', 'infra', 'test'],
      },
      null,
      2,
    )}\n`,
  )
  await writeFile(
    path.join(dir, 'xray-scaffold.config.ts'),
    `// The shop's xray-scaffold config.\nexport default {\n  app: { name: 'shop-api', services: ${services} },\n}\n`,
  )
  await mkdir(path.join(dir, 'src'), { recursive: true })
  await linkNodeModules(dir)
  return dir
}

/** `tsc --noEmit -p <project>`: its diagnostics, empty when the project compiles. */
export async function tscErrors(project: string): Promise<string> {
  const result = await run(path.join(ROOT, 'node_modules/.bin/tsc'), ['--noEmit', '-p', project], {
    cwd: path.dirname(project),
  }).catch((error: { stdout: string }) => error)
  return 'stdout' in result ? result.stdout : ''
}

/**
 * Runs one vitest file of `dir` in a process of its own, as the author would with the command
 * `gen handler` prints. (The caller holds the database lock; this must not take it again.)
 */
export async function runVitest(
  dir: string,
  file: string,
): Promise<{ ok: boolean; output: string }> {
  const result = await run(
    path.join(ROOT, 'node_modules/.bin/vitest'),
    ['run', '--root', dir, file],
    { cwd: dir, env: { ...process.env, CI: '1', NO_COLOR: '1' } },
  ).then(
    ({ stdout, stderr }) => ({ ok: true, output: `${stdout}${stderr}` }),
    (error: { stdout: string; stderr: string }) => ({
      ok: false,
      output: `${error.stdout}${error.stderr}`,
    }),
  )
  return result
}

/** The synthesized demo stack of the app under `appDir`, its functions' code not bundled. */
export async function synthAppIn(appDir: string) {
  const infra = (await import(path.join(appDir, 'infra', 'index.ts'))) as {
    addDemoStack(app: App): Stack & {
      functions: ReadonlyMap<
        string,
        { function: unknown; role: unknown; logGroup: unknown; securityGroup: unknown }
      >
    }
  }
  const app = new App({ context: { stage: 'prod', 'aws:cdk:bundling-stacks': [] } })
  // NodejsFunction takes the working directory (where the lock file is) as the project root,
  // and wants every entry under it.
  const cwd = process.cwd()
  process.chdir(appDir)
  let stack: ReturnType<typeof infra.addDemoStack>
  try {
    stack = infra.addDemoStack(app)
  } finally {
    process.chdir(cwd)
  }
  const template = Template.fromStack(stack)
  const idOf = (construct: unknown) =>
    stack.getLogicalId((construct as { node: { defaultChild: CfnElement } }).node.defaultChild)
  const resources = (type: string) =>
    template.findResources(type) as Record<string, { Properties: Record<string, any> }>
  return { stack, template, idOf, resources }
}
