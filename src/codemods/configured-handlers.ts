import { readFile } from 'node:fs/promises'
import { glob } from 'tinyglobby'

/** Where Lambda handler strings live: Serverless Framework, SST, CDK apps. */
const CONFIG_FILES = [
  'serverless.{yml,yaml,ts,js}',
  'sst.config.{ts,js}',
  '{infra,lib,bin,stacks,cdk}/**/*.{ts,js}',
]

/** `handler: src/orders.main`, `handler: 'orders.main'`, `handler: "main"`. */
const HANDLER_STRING = /\bhandler\s*:\s*['"`]?([\w./@-]+)['"`]?/g

/**
 * The export names the repository's deployment config uses as Lambda entry points: `main` for
 * `handler: src/orders.main` (serverless.yml, SST) or `handler: 'main'` (CDK NodejsFunction), so
 * an exported `main` is recognised as a handler even when nothing else says so.
 */
export async function configuredHandlers(repoRoot: string): Promise<Set<string>> {
  const names = new Set<string>()
  const files = await glob(CONFIG_FILES, {
    cwd: repoRoot,
    absolute: true,
    ignore: ['**/node_modules/**', '**/cdk.out/**'],
  })
  for (const file of files) {
    const text = await readFile(file, 'utf8').catch(() => '')
    for (const match of text.matchAll(HANDLER_STRING)) {
      const value = match[1]!
      const name = value.includes('.') ? value.slice(value.lastIndexOf('.') + 1) : value
      if (/^[A-Za-z_$][\w$]*$/.test(name) && !['ts', 'js', 'mjs', 'cjs'].includes(name))
        names.add(name)
    }
  }
  return names
}
