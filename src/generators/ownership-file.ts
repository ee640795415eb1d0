import { canCarryMarker, REGENERATE_COMMAND } from './marker'
import type { FileSet } from './file-set'

/** Name of the file, at the root of an output folder, that lists the files without a marker. */
export const OWNERSHIP_FILE = '.xray-scaffold-files.json'

interface OwnershipDocument {
  readonly '//': string
  readonly files: readonly string[]
}

/**
 * The ownership file of `outDir`: the files `gen` writes there that cannot carry a marker line
 * (JSON), itself included, relative to `outDir`. `gen` may overwrite or delete exactly these and
 * the files that start with its marker.
 */
export function ownershipFile(outDir: string, files: FileSet): { path: string; content: string } {
  const prefix = folderPrefix(outDir)
  const listed = [...files.keys()]
    .filter((file) => file.startsWith(prefix) && !canCarryMarker(file))
    .map((file) => file.slice(prefix.length))
  const document: OwnershipDocument = {
    '//': `Files written by ${REGENERATE_COMMAND} that cannot carry its marker line: gen may overwrite or delete them.`,
    files: [...listed, OWNERSHIP_FILE].sort(),
  }
  return { path: `${prefix}${OWNERSHIP_FILE}`, content: `${JSON.stringify(document, null, 2)}\n` }
}

/** The repository-relative paths an ownership file lists; empty when it is missing or unreadable. */
export function parseOwnershipFile(outDir: string, content: string | undefined): Set<string> {
  if (content === undefined) return new Set()
  try {
    const document = JSON.parse(content) as Partial<OwnershipDocument>
    const files = Array.isArray(document.files) ? document.files : []
    return new Set(
      files
        .filter((f): f is string => typeof f === 'string')
        .map((f) => `${folderPrefix(outDir)}${f}`),
    )
  } catch {
    return new Set()
  }
}

/** `outDir/`, or nothing for the repository itself (`.`), so paths stay `src/…`, never `./src/…`. */
export const folderPrefix = (outDir: string): string => (outDir === '.' ? '' : `${outDir}/`)
