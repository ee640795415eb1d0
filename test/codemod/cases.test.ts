import { readdirSync } from 'node:fs'
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { Project } from 'ts-morph'
import { afterAll, describe, expect, it } from 'vitest'
import { retrofitApp, RUNTIME_MODULE } from '../../src/codemods/retrofit-app'
import { retrofitHandler } from '../../src/codemods/retrofit-handler'
import { formatFile } from '../../src/generators/format'
import { legoApi } from '../../src/manifest'
import { comments } from './comments'

/**
 * One case per `cases/functions/<case>.input.ts`, with either `<case>.output.ts` (what the codemod
 * writes, formatted as `gen` formats it) or `<case>.error.txt` (the exact message it throws, the
 * file named relative to the repository root). `cases/` plays the app's `src/`: the manifest's
 * client modules (`lib/db/client`, ...) and the runtime (`lib/tracing`) live there.
 */
const root = path.resolve(import.meta.dirname, '../..')
const srcDir = path.join(import.meta.dirname, 'cases')
const functionsDir = path.join(srcDir, 'functions')
const SUFFIXES = ['.input.ts', '.output.ts', '.error.txt'] as const

const service = legoApi.services.find((s) => s.id === 'moc-instructions')!
const dependencies = Object.values(legoApi.dependencies)

// The repository's compiler options (strict), as the app's own tsconfig gives them to the codemod.
const project = new Project({
  tsConfigFilePath: path.join(root, 'tsconfig.json'),
  skipAddingFilesFromTsConfig: true,
})
project.addSourceFilesAtPaths(path.join(srcDir, '**/*.ts'))

function retrofit(file: string) {
  return retrofitHandler(project.getSourceFileOrThrow(path.join(functionsDir, file)), {
    project,
    srcDir,
    service,
    dependencies,
    runtimeModule: RUNTIME_MODULE,
  })
}

const relative = (file: string) => path.relative(root, path.join(functionsDir, file))

function thrownMessage(run: () => unknown): string {
  try {
    run()
  } catch (error) {
    return error instanceof Error ? error.message : String(error)
  }
  throw new Error('expected an error, none was thrown')
}

interface Case {
  readonly name: string
  readonly files: ReadonlySet<string>
}

function discoverCases(): Case[] {
  const byName = new Map<string, Set<string>>()
  for (const file of readdirSync(functionsDir)) {
    const suffix = SUFFIXES.find((s) => file.endsWith(s))
    if (!suffix) throw new Error(`${relative(file)}: not a case file (${SUFFIXES.join(', ')})`)
    const name = file.slice(0, -suffix.length)
    byName.set(name, (byName.get(name) ?? new Set()).add(suffix))
  }
  return [...byName]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, files]) => ({ name, files }))
}

const cases = discoverCases()

describe('retrofitHandler on the case pairs', () => {
  it('finds the cases', () => {
    expect(cases.length).toBeGreaterThan(0)
  })

  for (const { name, files } of cases) {
    it(name, async () => {
      const input = `${name}.input.ts`
      if (!files.has('.input.ts')) throw new Error(`${relative(input)} is missing`)
      if (files.has('.output.ts') === files.has('.error.txt')) {
        throw new Error(`case ${name} needs exactly one of ${name}.output.ts and ${name}.error.txt`)
      }

      if (files.has('.error.txt')) {
        const expected = await readFile(path.join(functionsDir, `${name}.error.txt`), 'utf8')
        expect(thrownMessage(() => retrofit(input))).toBe(`${root}/${expected.trimEnd()}`)
        return
      }

      const output = `${name}.output.ts`
      const expected = await readFile(path.join(functionsDir, output), 'utf8')
      const formatted = await formatFile(root, relative(output), retrofit(input).text)
      expect(formatted).toBe(expected)

      // Idempotent: the output, retrofitted again, is unchanged and opens no subsegment.
      const again = retrofit(output)
      expect(again.subsegments).toEqual([])
      expect(again.text).toBe(expected)

      // No comment dropped.
      const inputText = await readFile(path.join(functionsDir, input), 'utf8')
      for (const comment of comments(inputText)) expect(expected).toContain(comment)
    })
  }
})

describe('retrofitApp', () => {
  const dirs: string[] = []
  afterAll(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true }))))

  it('stops on a service of the manifest without its handler file', async () => {
    const appDir = await mkdtemp(path.join(tmpdir(), 'retrofit-app-'))
    dirs.push(appDir)
    await mkdir(path.join(appDir, 'src', 'functions'), { recursive: true })
    expect(thrownMessage(() => retrofitApp(appDir, { ...legoApi, services: [service] }))).toBe(
      `${appDir}/src/functions/moc-instructions.ts is missing: every service in the manifest needs its handler file`,
    )
  })
})
