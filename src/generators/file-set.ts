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
