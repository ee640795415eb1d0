import { execFile } from 'node:child_process'
import { cp, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { outputDir } from '../../src/generators/app-generators'
import type { FileSet } from '../../src/generators/file-set'
import { generateApp } from '../../src/generators/generate-app'
import { applySync, diffPlan, planSync } from '../../src/generators/sync-files'
import { hasMarker } from '../../src/generators/marker'
import { OWNERSHIP_FILE } from '../../src/generators/ownership-file'
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
    const { stdout } = await run(process.execPath, ['bin/xray-scaffold.mjs', 'gen', '--check'], {
      cwd: root,
    })
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

describe('every generated file says where it comes from', () => {
  it('starts with the marker naming its template or codemod input, or is in the ownership file', () => {
    const owned = JSON.parse(files.get(`${outputDir(legoApi)}/${OWNERSHIP_FILE}`)!) as {
      files: string[]
    }
    for (const [file, content] of files) {
      const relative = file.slice(outputDir(legoApi).length + 1)
      if (file.endsWith('.ts')) {
        expect(hasMarker(content), file).toBe(true)
        expect(content.split('\n')[0], file).toMatch(
          / from (templates|test\/fixtures\/lego-api)\/\S+.*; edit that, then run npx xray-scaffold gen$/,
        )
      } else {
        expect(owned.files, file).toContain(relative)
      }
    }
  })

  it('names the template a static file is copied from, and the .hbs it is rendered from', () => {
    const first = (file: string) => files.get(`${outputDir(legoApi)}/${file}`)!.split('\n')[0]
    expect(first('src/lib/tracing/sdk.ts')).toContain('from templates/src/lib/tracing/sdk.ts;')
    expect(first('infra/services.ts')).toContain('from templates/infra/services.ts.hbs;')
    expect(first('src/functions/gallery.ts')).toContain(
      'from test/fixtures/lego-api/src/functions/gallery.ts (retrofitted by the codemod);',
    )
  })
})

describe('gen overwrites and deletes only what it wrote', () => {
  let copy: string
  const out = outputDir(legoApi)
  const at = (file: string) => path.join(copy, file)

  beforeEach(async () => {
    copy = await mkdtemp(path.join(tmpdir(), 'xray-scaffold-owned-'))
    await cp(appDir, at(out), { recursive: true })
  })
  afterEach(() => rm(copy, { recursive: true, force: true }))

  it('repairs an edited and a deleted generated file, and leaves the others alone', async () => {
    const edited = `${out}/src/lib/tracing/logger.ts`
    const deleted = `${out}/src/lib/auth.ts`
    const untouched = `${out}/src/functions/wishlist.ts`
    await writeFile(at(edited), `${files.get(edited)}// hand edit\n`)
    await rm(at(deleted))
    const untouchedMtime = (await stat(at(untouched))).mtimeMs

    const plan = await planSync(copy, out, files)
    expect(plan.conflicts).toEqual([])
    const diff = await diffPlan(copy, plan, files)
    expect(diff).toContain(`--- a/${edited}`)
    expect(diff).toContain('-// hand edit')
    expect(diff).toContain(`+++ b/${deleted}`)
    expect(diff).not.toContain(untouched)

    await applySync(copy, plan, files)
    expect(plan.write.sort()).toEqual([deleted, edited].sort())
    expect((await stat(at(untouched))).mtimeMs).toBe(untouchedMtime)
    expect(await diffPlan(copy, await planSync(copy, out, files), files)).toBe('')
  })

  it('removes a file it wrote earlier and no longer produces', async () => {
    const stale = `${out}/src/lib/tracing/retired.ts`
    await writeFile(at(stale), `${files.get(`${out}/src/lib/tracing/logger.ts`)}`)
    const plan = await planSync(copy, out, files)
    expect(plan.conflicts).toEqual([])
    expect(plan.remove).toEqual([stale])
    await applySync(copy, plan, files)
    await expect(stat(at(stale))).rejects.toThrow()
  })

  it('stops on a stray file of the user in a folder it writes: one line naming it, nothing written or deleted', async () => {
    const stray = `${out}/src/functions/mine.ts`
    const edited = `${out}/src/lib/tracing/logger.ts`
    await writeFile(at(stray), 'export const mine = 1\n')
    await writeFile(at(edited), `${files.get(edited)}// hand edit\n`)

    const plan = await planSync(copy, out, files)
    expect(plan.conflicts).toEqual([
      `${stray} is in ${out}/src/functions/, which gen writes, but gen did not write it: move it elsewhere (or delete it yourself), then run gen again`,
    ])
    await expect(applySync(copy, plan, files)).rejects.toThrow(stray)
    expect(await readFile(at(stray), 'utf8')).toBe('export const mine = 1\n')
    expect(await readFile(at(edited), 'utf8')).toContain('// hand edit')
  })

  it('refuses to overwrite a file at a generated path that does not carry the marker', async () => {
    const replaced = `${out}/src/lib/tracing/logger.ts`
    await writeFile(at(replaced), 'export const logger = console\n')
    const plan = await planSync(copy, out, files)
    expect(plan.conflicts).toEqual([
      `${replaced} exists and was not written by xray-scaffold: move it elsewhere (or delete it yourself), then run gen again`,
    ])
  })

  it('owns the JSON files its ownership file lists, and only those', async () => {
    const listed = `${out}/tsconfig.json`
    await writeFile(at(listed), '{}\n')
    expect((await planSync(copy, out, files)).write).toEqual([listed])
    const strayJson = `${out}/notes.json`
    await writeFile(at(strayJson), '{}\n')
    expect((await planSync(copy, out, files)).conflicts).toHaveLength(1)
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
