import { mkdir, readdir, readFile, rm } from 'node:fs/promises'
import path from 'node:path'
import { createTwoFilesPatch } from 'diff'
import writeFileAtomic from 'write-file-atomic'
import { hasMarker } from './marker'
import type { FileSet } from './file-set'
import { OWNERSHIP_FILE, parseOwnershipFile } from './ownership-file'

/** Folders inside an output tree that belong to tools, not to the generator. */
const IGNORED = new Set(['node_modules', 'cdk.out', '.git'])

/** What bringing an output folder in line with a file set would do; nothing is done yet. */
export interface SyncPlan {
  /** Files to write: missing, or owned by `gen` and different. */
  readonly write: string[]
  readonly unchanged: string[]
  /** Files `gen` wrote earlier and no longer produces. */
  readonly remove: string[]
  /** One line per file `gen` would have to overwrite or delete but did not write: the run stops. */
  readonly conflicts: string[]
}

/**
 * Compares `files` with the disk under `outDir` (repository-relative). A file `gen` may overwrite
 * or delete is one that starts with its marker or is listed in the ownership file; any other file
 * in a folder `gen` writes into is a conflict, never touched (DESIGN.md, "Ownership of files"),
 * except the `authored` ones (handlers `gen handler` scaffolded), which are left alone. The
 * repository's own root folder (`outDir` `.`) is never scanned for strays: the user's files live
 * there beside the few `gen` writes.
 */
export async function planSync(
  root: string,
  outDir: string,
  files: FileSet,
  authored: ReadonlySet<string> = new Set(),
): Promise<SyncPlan> {
  const plan: SyncPlan = { write: [], unchanged: [], remove: [], conflicts: [] }
  const listed = parseOwnershipFile(outDir, await readText(path.join(root, outDir, OWNERSHIP_FILE)))
  for (const file of authored) listed.delete(file)
  const owned = (file: string, content: string) => hasMarker(content) || listed.has(file)

  for (const [file, content] of files) {
    const current = await readText(path.join(root, file))
    if (current === content) plan.unchanged.push(file)
    else if (current === undefined || owned(file, current)) plan.write.push(file)
    else
      plan.conflicts.push(
        `${file} exists and was not written by xray-scaffold: move it elsewhere (or delete it yourself), then run gen again`,
      )
  }
  const folders = new Set([...files.keys()].map((file) => path.posix.dirname(file)))
  for (const file of listed) folders.add(path.posix.dirname(file))
  folders.delete('.')
  for (const folder of [...folders].sort()) {
    for (const file of await filesIn(root, folder)) {
      if (files.has(file) || authored.has(file)) continue
      const current = (await readText(path.join(root, file))) ?? ''
      if (owned(file, current)) plan.remove.push(file)
      else
        plan.conflicts.push(
          `${file} is in ${folder}/, which gen writes, but gen did not write it: move it elsewhere (or delete it yourself), then run gen again`,
        )
    }
  }
  return plan
}

/**
 * Carries out a plan that has no conflicts: writes each changed file atomically (a temp file
 * renamed into place, so an interrupted run never leaves half a file) and removes stale ones.
 * Equal files are left untouched, their mtime too.
 */
export async function applySync(root: string, plan: SyncPlan, files: FileSet): Promise<void> {
  if (plan.conflicts.length > 0) throw new Error(plan.conflicts[0])
  for (const file of plan.write) {
    await mkdir(path.dirname(path.join(root, file)), { recursive: true })
    await writeFileAtomic(path.join(root, file), files.get(file)!)
  }
  for (const file of plan.remove) await rm(path.join(root, file))
}

/** A unified diff from what is on disk to what the plan would leave; empty when they agree. */
export async function diffPlan(root: string, plan: SyncPlan, files: FileSet): Promise<string> {
  const patches: string[] = []
  for (const file of plan.write) {
    patches.push(patch(file, await readText(path.join(root, file)), files.get(file)))
  }
  for (const file of plan.remove) {
    patches.push(patch(file, await readText(path.join(root, file)), undefined))
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

/** The files directly inside `folder` (repository-relative), sorted; none when it does not exist. */
async function filesIn(root: string, folder: string): Promise<string[]> {
  try {
    const entries = await readdir(path.join(root, folder), { withFileTypes: true })
    return entries
      .filter((entry) => entry.isFile() && !IGNORED.has(entry.name))
      .map((entry) => path.posix.join(folder, entry.name))
      .sort()
  } catch {
    return []
  }
}

async function readText(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8')
  } catch {
    return undefined
  }
}
