import { execFile } from 'node:child_process'
import { realpath } from 'node:fs/promises'
import path from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)

/**
 * The files among `files` (absolute) that have uncommitted changes in their git work tree,
 * untracked files included: overwriting them could lose work nobody can get back. Files outside
 * any git work tree have no such state and are never listed.
 */
export async function uncommittedFiles(files: readonly string[]): Promise<string[]> {
  const byDir = new Map<string, string[]>()
  for (const file of files) {
    const dir = path.dirname(file)
    byDir.set(dir, [...(byDir.get(dir) ?? []), file])
  }
  const dirty: string[] = []
  for (const [dir, inDir] of byDir) {
    let output: string
    let root: string
    try {
      const names = inDir.map((file) => path.basename(file))
      output = (
        await run('git', ['status', '--porcelain', '-z', '--untracked-files=all', '--', ...names], {
          cwd: dir,
        })
      ).stdout
      root = (await run('git', ['rev-parse', '--show-toplevel'], { cwd: dir })).stdout.trim()
    } catch {
      continue // not a git work tree (or no git): nothing to protect there
    }
    const real = new Map<string, string>()
    for (const file of inDir) real.set(await realpath(file).catch(() => file), file)
    for (const entry of output.split('\0').filter(Boolean)) {
      const file = real.get(path.resolve(root, entry.slice(3)))
      if (file) dirty.push(file)
    }
  }
  return dirty.sort()
}
