import { execFile } from 'node:child_process'
import { cp, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { outputDir } from '../../src/generators/app-generators'
import type { FileSet } from '../../src/generators/file-set'
import { generateApp } from '../../src/generators/generate-app'
import { diffFileSet, writeFileSet } from '../../src/generators/sync-files'
import { legoApi } from '../../src/manifest'

const run = promisify(execFile)
const root = path.resolve(import.meta.dirname, '../..')
const appDir = path.join(root, outputDir(legoApi))
const bin = (name: string) => path.join(root, 'node_modules', '.bin', name)

let files: FileSet

beforeAll(async () => {
  files = await generateApp(root, legoApi)
})

describe('npm run gen', () => {
  it('produces byte-identical output on a second run', async () => {
    const again = await generateApp(root, legoApi)
    expect([...again.keys()]).toEqual([...files.keys()])
    for (const [file, content] of files) expect(again.get(file), file).toBe(content)
  })

  it('matches what is committed under generated/ (gen --check is clean)', async () => {
    const { stdout } = await run(bin('tsx'), ['src/cli/gen.ts', '--check'], { cwd: root })
    expect(stdout).toContain(`${outputDir(legoApi)} is up to date`)
  })

  it('writes the handlers, runtime, clients and app files of the lego-api', () => {
    const names = [...files.keys()].map((file) => file.slice(outputDir(legoApi).length + 1))
    for (const service of legoApi.services)
      expect(names).toContain(`src/functions/${service.id}.ts`)
    for (const dependency of Object.values(legoApi.dependencies)) {
      expect(names).toContain(`src/${dependency.module}.ts`)
    }
    expect(names).toContain('src/lib/tracing/index.ts')
    expect(names).toContain('package.json')
    expect(names).toContain('tsconfig.json')
  })
})

describe('gen --check on a tampered copy', () => {
  let copy: string

  beforeAll(async () => {
    copy = await mkdtemp(path.join(tmpdir(), 'xray-scaffold-check-'))
    await cp(appDir, path.join(copy, outputDir(legoApi)), { recursive: true })
  })
  afterAll(() => rm(copy, { recursive: true, force: true }))

  it('reports an edited, a deleted and a stray file as a unified diff, and gen repairs exactly those', async () => {
    const edited = `${outputDir(legoApi)}/src/lib/tracing/logger.ts`
    const deleted = `${outputDir(legoApi)}/src/lib/auth.ts`
    const stray = `${outputDir(legoApi)}/src/lib/stray.ts`
    const untouched = `${outputDir(legoApi)}/src/functions/wishlist.ts`
    await writeFile(path.join(copy, edited), `${files.get(edited)}// hand edit\n`)
    await rm(path.join(copy, deleted))
    await writeFile(path.join(copy, stray), 'export {}\n')
    const untouchedMtime = (await stat(path.join(copy, untouched))).mtimeMs

    const diff = await diffFileSet(copy, outputDir(legoApi), files)
    expect(diff).toContain(`--- a/${edited}`)
    expect(diff).toContain('-// hand edit')
    expect(diff).toContain(`+++ b/${deleted}`)
    expect(diff).toContain(`--- a/${stray}`)
    expect(diff).not.toContain(untouched)

    const summary = await writeFileSet(copy, outputDir(legoApi), files)
    expect(summary.written.sort()).toEqual([deleted, edited].sort())
    expect(summary.removed).toEqual([stray])
    expect((await stat(path.join(copy, untouched))).mtimeMs).toBe(untouchedMtime)
    expect(await diffFileSet(copy, outputDir(legoApi), files)).toBe('')
  })
})

describe('generated/lego-api stands alone', () => {
  it('compiles under tsc --strict with its own tsconfig', async () => {
    const tsconfig = JSON.parse(await readFile(path.join(appDir, 'tsconfig.json'), 'utf8'))
    expect(tsconfig.compilerOptions.strict).toBe(true)
    const result = await run(bin('tsc'), ['--noEmit', '-p', path.join(appDir, 'tsconfig.json')], {
      cwd: root,
    }).catch((error: { stdout: string }) => error)
    expect('stdout' in result ? result.stdout : '').toBe('')
  })

  it('imports nothing outside itself, and every package it imports is in its package.json', async () => {
    const manifest = JSON.parse(await readFile(path.join(appDir, 'package.json'), 'utf8'))
    const declared = new Set([
      ...Object.keys(manifest.dependencies ?? {}),
      ...Object.keys(manifest.devDependencies ?? {}),
    ])
    const importPattern = /(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g
    for (const [file, content] of files) {
      if (!file.endsWith('.ts')) continue
      for (const [, specifier] of content.matchAll(importPattern)) {
        if (specifier!.startsWith('.')) {
          const target = path.resolve(path.dirname(path.join(root, file)), specifier!)
          expect(target.startsWith(appDir + path.sep), `${file} imports ${specifier}`).toBe(true)
        } else if (!specifier!.startsWith('node:')) {
          const name = specifier!.startsWith('@')
            ? specifier!.split('/').slice(0, 2).join('/')
            : specifier!.split('/')[0]!
          const typesName = `@types/${name.replace(/^@/, '').replace('/', '__')}`
          expect(declared.has(name) || declared.has(typesName), `${file} imports ${name}`).toBe(
            true,
          )
        }
      }
    }
  })

  it('is prettier-formatted', async () => {
    const result = await run(bin('prettier'), ['--check', outputDir(legoApi)], { cwd: root }).catch(
      (error: { stdout: string; stderr: string }) => error,
    )
    expect('code' in result ? `${result.stdout}${result.stderr}` : '').toBe('')
  })
})
