import nodePlop from 'node-plop'
import plopfile from '../../plopfile'
import type { AppManifest } from '../manifest'
import type { GenerationRequest } from './app-generators'
import type { FileSet } from './file-set'
import { formatFile } from './format'

/**
 * Produces every generated file of `app` in memory, prettier-formatted: runs each generator the
 * plopfile registers, in name order. Same inputs, byte-identical output.
 */
export async function generateApp(root: string, app: AppManifest): Promise<FileSet> {
  // The plopfile is imported as a module (not loaded by path) so it runs under any TS loader.
  const plop = await nodePlop(undefined, { destBasePath: root, force: false })
  plopfile(plop)
  const request: GenerationRequest = { root, app, files: new Map() }
  for (const { name } of plop.getGeneratorList()) {
    const { failures } = await plop.getGenerator(name).runActions(request)
    if (failures.length > 0) {
      const reasons = failures.map((f) => `${f.type ?? name}: ${f.error ?? f.message ?? 'failed'}`)
      throw new Error(`generator ${name} failed: ${reasons.join('; ')}`)
    }
  }
  const formatted: FileSet = new Map()
  for (const file of [...request.files.keys()].sort()) {
    formatted.set(file, await formatFile(root, file, request.files.get(file)!))
  }
  return formatted
}
