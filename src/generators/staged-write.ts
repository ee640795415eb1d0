import { randomBytes } from 'node:crypto'
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises'
import path from 'node:path'

/** A file to write (`content`) or remove (`content` undefined), repository-relative. */
export interface FileChange {
  readonly file: string
  readonly content: string | undefined
}

/**
 * Writes several files as one change: every new content is first staged in a temporary file next
 * to its destination (same file system, so the move is a rename), then each destination is moved
 * aside and the staged file moved in. If anything fails, staging or moving, every destination
 * gets its old content back, files and folders the run created are removed, and the error is
 * rethrown: a failed run leaves nothing of itself behind.
 */
export async function writeAllOrNothing(
  root: string,
  changes: readonly FileChange[],
): Promise<void> {
  const tag = `.xray-scaffold-${process.pid}-${randomBytes(4).toString('hex')}`
  const createdFolders: string[] = []
  const staged: { target: string; temp?: string }[] = []
  const moved: { target: string; backup?: string }[] = []
  try {
    for (const { file, content } of changes) {
      const target = path.join(root, file)
      if (content === undefined) {
        staged.push({ target })
        continue
      }
      const created = await mkdir(path.dirname(target), { recursive: true })
      if (created) createdFolders.push(created)
      const temp = `${target}${tag}.tmp`
      staged.push({ target, temp })
      await writeFile(temp, content)
    }
    for (const { target, temp } of staged) {
      const exists = await stat(target).then(
        () => true,
        () => false,
      )
      const backup = exists ? `${target}${tag}.bak` : undefined
      if (backup) await rename(target, backup)
      moved.push({ target, backup })
      if (temp) await rename(temp, target)
    }
  } catch (error) {
    for (const { target, backup } of moved.reverse()) {
      await rm(target, { force: true, recursive: false }).catch(() => undefined)
      if (backup) await rename(backup, target).catch(() => undefined)
    }
    for (const { temp } of staged) if (temp) await rm(temp, { force: true })
    for (const folder of createdFolders.reverse())
      await rm(folder, { recursive: true, force: true })
    throw error
  }
  for (const { backup } of moved) if (backup) await rm(backup, { force: true })
}
