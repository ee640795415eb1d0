import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { outputDir } from '../../src/generators/app-generators'
import { formatFile } from '../../src/generators/format'
import { retrofitApp } from '../../src/codemods/retrofit-app'
import { legoApi } from '../../src/manifest'

const root = path.resolve(import.meta.dirname, '../..')
const fixture = path.join(root, 'test', 'fixtures', legoApi.name)

describe('retrofitApp on the lego-api fixture', () => {
  const files = retrofitApp(fixture, legoApi)
  const handler = (id: string) => files.find((f) => f.path === `src/functions/${id}.ts`)!

  it('leaves the dependency client modules to the traced templates and keeps the other files', () => {
    const paths = files.map((f) => f.path)
    for (const dependency of Object.values(legoApi.dependencies)) {
      expect(paths).not.toContain(`src/${dependency.module}.ts`)
    }
    expect(paths).toEqual(expect.arrayContaining(['src/lib/db/schema.ts', 'src/lib/auth.ts']))
  })

  it('opens a business subsegment for every dependency call of the MOC service', () => {
    expect(new Set(handler('moc-instructions').subsegments)).toEqual(
      new Set([
        'Redis - Get Cache',
        'Redis - Set Cache',
        'Redis - Delete Cache',
        'Database Query - SELECT moc_instructions',
        'Database Query - INSERT moc_instructions',
        'Database Query - DELETE moc_instructions',
        'S3 - Generate Presigned URL',
        'S3 - Delete Object',
        'OpenSearch - Search mocs',
        'OpenSearch - Index mocs',
        'OpenSearch - Delete mocs',
      ]),
    )
  })

  it('wraps each handler with its manifest annotations and leaves no console call', () => {
    for (const service of legoApi.services) {
      const { text } = handler(service.id)
      expect(text).toContain(`withTracing({"service":"${service.id}"`)
      for (const key of Object.keys(service.annotations)) expect(text).toContain(`"${key}":`)
      expect(text).not.toMatch(/\bconsole\./)
      expect(text).toMatch(/catch \(error\) \{\s*captureError\(error\)/)
    }
  })

  it('is idempotent: the committed output, retrofitted again, is unchanged', async () => {
    const generated = path.join(root, outputDir(legoApi))
    const again = retrofitApp(generated, legoApi)
    for (const service of legoApi.services) {
      const file = `src/functions/${service.id}.ts`
      const output = again.find((f) => f.path === file)!
      expect(output.subsegments, file).toEqual([])
      const formatted = await formatFile(root, `${outputDir(legoApi)}/${file}`, output.text)
      expect(formatted, file).toBe(await readFile(path.join(generated, file), 'utf8'))
    }
  })
})
