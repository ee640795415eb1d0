import { randomBytes } from 'node:crypto'
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { createTwoFilesPatch } from 'diff'
import type { FileSet } from './file-set'

/** Folders inside an output tree that belong to tools, not to the generator. */
const IGNORED = new Set(['node_modules', 'cdk.out'])

export interface SyncSummary {
  readonly written: string[]
  readonly unchanged: string[]
  readonly removed: string[]
}

/**
 * Brings `outDir` (repository-relative) in line with `files`: writes files whose content differs
 * (atomically: temp file + rename, so an interrupted run never leaves half a file), leaves equal
 * files untouched (their mtime too), and removes files the generator no longer produces.
 */
export async function writeFileSet(
  root: string,
  outDir: string,
  files: FileSet,
): Promise<SyncSummary> {
  const summary: SyncSummary = { written: [], unchanged: [], removed: [] }
  for (const [file, content] of files) {
    const target = path.join(root, file)
    if ((await readText(target)) === content) {
      summary.unchanged.push(file)
      continue
    }
    await mkdir(path.dirname(target), { recursive: true })
    const temp = `${target}.${randomBytes(4).toString('hex')}.tmp`
    await writeFile(temp, content)
    await rename(temp, target)
    summary.written.push(file)
  }
  for (const stale of await staleFiles(root, outDir, files)) {
    await rm(path.join(root, stale))
    summary.removed.push(stale)
  }
  return summary
}

/** A unified diff from what is on disk to what the generator produces; empty when they agree. */
export async function diffFileSet(root: string, outDir: string, files: FileSet): Promise<string> {
  const patches: string[] = []
  for (const [file, content] of files) {
    const current = await readText(path.join(root, file))
    if (current === content) continue
    patches.push(patch(file, current, content))
  }
  for (const stale of await staleFiles(root, outDir, files)) {
    patches.push(patch(stale, await readText(path.join(root, stale)), undefined))
  }
  return patches.join('')
}

function patch(file: string, before: string | undefined, after: string | undefined): string {
  return createTwoFilesPatch(
    before === undefined ? '/dev/null' : `a/${file}`,
    after === undefined ? '/dev/null' : `b/${file}`,
    before ?? '',
    after ?? '',
  )
}

async function staleFiles(root: string, outDir: string, files: FileSet): Promise<string[]> {
  const onDisk = await listFiles(path.join(root, outDir))
  return onDisk
    .map((file) => path.join(outDir, file).split(path.sep).join('/'))
    .filter((file) => !files.has(file))
    .sort()
}

async function listFiles(dir: string): Promise<string[]> {
  let entries
  try {
    entries = await readdir(dir, { withFileTypes: true })
  } catch {
    return []
  }
  const files: string[] = []
  for (const entry of entries) {
    if (IGNORED.has(entry.name)) continue
    if (entry.isDirectory()) {
      for (const inner of await listFiles(path.join(dir, entry.name)))
        files.push(path.join(entry.name, inner))
    } else if (entry.isFile()) {
      files.push(entry.name)
    }
  }
  return files
}

async function readText(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8')
  } catch {
    return undefined
  }
}
