import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { ABLATIONS } from './ablations'

/*
 * `npm run bench -- --ablations` takes pieces of tracing out by editing the generated sources
 * as it bundles them. The benchmark is not part of `npm test`, so a change to the generated code
 * that moves an edit's text would otherwise surface only at the next benchmark run.
 */

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url))

describe('benchmark ablations', () => {
  for (const ablation of ABLATIONS) {
    it(`${ablation.name}: each edit finds its text exactly once in the generated source`, async () => {
      for (const edit of ablation.edits) {
        const source = await readFile(`${REPO_ROOT}${edit.file}`, 'utf8')
        expect(source.split(edit.find).length - 1, edit.file).toBe(1)
      }
    })
  }
})
