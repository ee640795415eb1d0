import nodePlop from 'node-plop'
import plopfile from '../../plopfile'
import { validateManifest, type AppManifest } from '../manifest'
import { outputDir, type GenerationRequest } from './app-generators'
import { addFile, type FileSet } from './file-set'
import { formatFile } from './format'
import { ownershipFile } from './ownership-file'

/**
 * Produces every generated file of `app` in memory, prettier-formatted: validates the manifest,
 * runs each generator the plopfile registers, in name order, and adds the ownership file. Same
 * inputs, byte-identical output.
 */
export async function generateApp(root: string, app: AppManifest): Promise<FileSet> {
  validateManifest(app)
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
  const owned = ownershipFile(outputDir(app), request.files)
  addFile(request.files, owned.path, owned.content)
  const formatted: FileSet = new Map()
  for (const file of [...request.files.keys()].sort()) {
    formatted.set(file, await formatFile(root, file, request.files.get(file)!))
  }
  return formatted
}
