import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  DEFAULT_DEPENDENCIES,
  findConfigFile,
  legoApi,
  loadConfig,
  ManifestError,
  resolveConfig,
} from '../../src/manifest'

const ROOT = path.resolve(import.meta.dirname, '../..')
let dir: string
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'xray-scaffold-config-'))
})
afterAll(() => rm(dir, { recursive: true, force: true }))

describe('loadConfig', () => {
  it("loads this repository's config: the lego-api in generated/lego-api, retrofitted from its fixture", async () => {
    const config = await loadConfig(path.join(ROOT, 'xray-scaffold.config.ts'))
    expect(config.root).toBe(ROOT)
    expect(config.app).toEqual(legoApi)
    expect(config.outDir).toBe('generated/lego-api')
    expect(config.groups).toEqual(['runtime', 'clients', 'infra', 'app'])
    expect(config.retrofitFrom).toBe('test/fixtures/lego-api')
  })

  it("gives a user's config the defaults of a repository of its own", async () => {
    const file = path.join(dir, 'xray-scaffold.config.ts')
    await writeFile(file, "export default { app: { name: 'shop-api', services: [] } } as const\n")
    const config = await loadConfig(file)
    expect(config).toMatchObject({ root: dir, outDir: '.', testsDir: 'test/functions' })
    expect(config.groups).toEqual(['runtime', 'clients', 'infra'])
    expect(config.retrofitFrom).toBeUndefined()
    expect(config.app.dependencies).toEqual(DEFAULT_DEPENDENCIES)
  })

  it('validates the app as a manifest is, in one line', async () => {
    const file = path.join(dir, 'bad.config.ts')
    await writeFile(file, "export default { app: { name: 'Shop API', services: [] } }\n")
    await expect(loadConfig(file)).rejects.toThrow(
      new ManifestError(
        'app "Shop API": name is not kebab-case; use lowercase letters, digits and single hyphens (e.g. "shop-api")',
      ),
    )
  })
})

describe('resolveConfig', () => {
  it.each([
    [undefined, /has no default export/],
    [{}, /has no "app"/],
    [{ app: { name: 'x' } }, /app.services is not a list/],
    [
      { app: { name: 'x', services: [] }, outDir: '../elsewhere' },
      /outDir "..\/elsewhere" leaves the repository/,
    ],
    [{ app: { name: 'x', services: [] }, groups: ['runtime', 'docs'] }, /groups has "docs"/],
  ])('refuses %j with one line', (value, message) => {
    expect(() => resolveConfig(value, dir, path.join(dir, 'x.config.ts'))).toThrow(message)
  })
})

describe('findConfigFile', () => {
  it('finds the config from a folder below it, and names the fix when there is none', async () => {
    expect(findConfigFile(path.join(ROOT, 'src', 'cli'))).toBe(
      path.join(ROOT, 'xray-scaffold.config.ts'),
    )
    expect(() => findConfigFile('/')).toThrow(
      /no xray-scaffold.config.ts in \/ or above; create one/,
    )
  })
})
