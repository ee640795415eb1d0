import { readdirSync, writeFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { Project } from 'ts-morph'
import { beforeAll, describe, expect, it } from 'vitest'
import { configuredHandlers } from '../../src/codemods/configured-handlers'
import { retrofitSource, syntaxErrorIn } from '../../src/codemods/retrofit-source'
import { comments } from './comments'

/**
 * The codemod on code written as users write it, one case per shape and per client:
 * `repo-cases/<case>.input.<ext>` with `<case>.output.<ext>` (exactly what the codemod writes: text
 * edits, no reformatting) or `<case>.skipped.txt` (the reason a file is left byte-identical), and
 * optionally `<case>.notes.txt` (what it reports leaving alone). `repo-cases/` plays a user's
 * repository: its `lib/` holds client modules and the runtime folder, its serverless.yml names an
 * entry point. A case named `…convert-callbacks` runs with `--convert-callbacks`.
 * `UPDATE_CASES=1` writes the outputs instead of comparing them (review the diff before committing).
 */
const casesDir = path.join(import.meta.dirname, 'repo-cases')
const runtimeDir = path.join(casesDir, 'lib', 'tracing')
const update = process.env.UPDATE_CASES === '1'

interface Case {
  readonly name: string
  readonly extension: string
  readonly files: ReadonlySet<string>
}

function discoverCases(): Case[] {
  const cases = new Map<string, { extension: string; files: Set<string> }>()
  for (const file of readdirSync(casesDir)) {
    const match = /^(.+)\.(input|output|skipped|notes)\.(\w+)$/.exec(file)
    if (!match) continue
    const [, name, role, extension] = match
    const entry = cases.get(name!) ?? { extension: '', files: new Set<string>() }
    if (role === 'input') entry.extension = extension!
    entry.files.add(role!)
    cases.set(name!, entry)
  }
  return [...cases]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, { extension, files }]) => ({ name, extension, files }))
}

let configured: Set<string>

function retrofit(name: string, fileName: string, text: string) {
  const project = new Project({
    compilerOptions: { allowJs: true },
    skipAddingFilesFromTsConfig: true,
    skipFileDependencyResolution: true,
  })
  const file = project.createSourceFile(path.join(casesDir, fileName), text, { overwrite: true })
  return retrofitSource(file, {
    project,
    runtimeDir,
    configuredHandlers: configured,
    convertCallbacks: name.endsWith('convert-callbacks'),
  })
}

const cases = discoverCases()

describe('the codemod on repository-shaped cases', () => {
  beforeAll(async () => {
    configured = await configuredHandlers(casesDir)
  })

  it('finds one case per shape and client', () => {
    expect(cases.length).toBeGreaterThanOrEqual(40)
    expect(configured).toContain('process')
  })

  for (const { name, extension, files } of cases) {
    it(name, async () => {
      const inputName = `${name}.input.${extension}`
      const outputName = `${name}.output.${extension}`
      const input = await readFile(path.join(casesDir, inputName), 'utf8')
      const result = retrofit(name, inputName, input)

      if (update) {
        if (result.status === 'skipped')
          writeFileSync(path.join(casesDir, `${name}.skipped.txt`), `${result.reason}\n`)
        else writeFileSync(path.join(casesDir, outputName), result.text)
        if (result.notes.length > 0)
          writeFileSync(path.join(casesDir, `${name}.notes.txt`), `${result.notes.join('\n')}\n`)
        return
      }
      if (files.has('output') === files.has('skipped'))
        throw new Error(`case ${name} needs exactly one of ${outputName} and ${name}.skipped.txt`)

      const notes = files.has('notes')
        ? (await readFile(path.join(casesDir, `${name}.notes.txt`), 'utf8')).trimEnd().split('\n')
        : []
      expect(result.notes).toEqual(notes)

      if (files.has('skipped')) {
        const reason = await readFile(path.join(casesDir, `${name}.skipped.txt`), 'utf8')
        expect(result.status).toBe('skipped')
        expect(result.reason).toBe(reason.trimEnd())
        expect(result.text).toBe(input) // byte-identical
        return
      }

      const expected = await readFile(path.join(casesDir, outputName), 'utf8')
      expect(result.text).toBe(expected)
      // Every output parses.
      expect(syntaxErrorIn(result.text, inputName)).toBeUndefined()
      // No comment dropped.
      for (const comment of comments(input)) expect(result.text).toContain(comment)
      // Idempotent: the output, run again, is left byte-identical and opens nothing.
      const again = retrofit(name, inputName, expected)
      expect(again.text).toBe(expected)
      expect(again.subsegments).toEqual([])
      expect(again.handlers).toEqual([])
    })
  }
})
