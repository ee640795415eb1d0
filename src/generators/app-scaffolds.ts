import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { ResolvedConfig } from '../manifest'
import { inOutDir } from './app-generators'

const SCAFFOLDS_DIR = fileURLToPath(new URL('../../scaffolds/app', import.meta.url))

/**
 * Files the generated code imports but the author owns, written once when missing and never
 * again: in a repository whose handlers are not retrofitted, the Drizzle schema the traced
 * Postgres client imports (`src/lib/db/schema.ts`). In this repository the codemod brings the
 * lego-api's own.
 *
 * @returns repository-relative path → content, for the files that do not exist yet
 */
export async function missingAppScaffolds(config: ResolvedConfig): Promise<Map<string, string>> {
  const missing = new Map<string, string>()
  if (config.retrofitFrom !== undefined || !config.groups.includes('clients')) return missing
  const schema = inOutDir(config, 'src/lib/db/schema.ts')
  if (!existsSync(path.join(config.root, schema))) {
    missing.set(schema, await readFile(path.join(SCAFFOLDS_DIR, 'schema.ts'), 'utf8'))
  }
  return missing
}
