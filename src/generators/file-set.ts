import { canCarryMarker, withMarker } from './marker'

/**
 * Generated output held in memory: repository-relative path → file content. Generators add to it,
 * the CLI then writes it (only files whose content changed) or compares it with the disk (`--check`).
 */
export type FileSet = Map<string, string>

/** Adds a file, refusing a second writer of the same path: two generators must never race for a file. */
export function addFile(files: FileSet, path: string, content: string): void {
  if (files.has(path)) throw new Error(`two generators produce ${path}: give each file one owner`)
  files.set(path, content)
}

/**
 * Adds a file `gen` owns: a source file gets the marker line naming `source`; a file whose format
 * has no comments is listed in the ownership file instead (see {@link ownershipFile}).
 */
export function addGeneratedFile(
  files: FileSet,
  path: string,
  content: string,
  source: string,
): void {
  addFile(files, path, canCarryMarker(path) ? withMarker(source, content) : content)
}
