import { realpathSync } from 'node:fs'
import { lstat, stat } from 'node:fs/promises'
import path from 'node:path'
import { glob, isDynamicPattern } from 'tinyglobby'

/** Source extensions the codemod reads. */
export const SOURCE_EXTENSIONS = ['ts', 'tsx', 'mts', 'cts', 'js', 'jsx', 'mjs', 'cjs'] as const

/** Folders never searched: installed packages, build output, tool state. */
const IGNORED = [
  '**/node_modules/**',
  '**/.git/**',
  '**/dist/**',
  '**/build/**',
  '**/cdk.out/**',
  '**/.serverless/**',
  '**/.sst/**',
  '**/*.d.ts',
]

/** A file to consider, or an argument that names none (`problem` says why). */
export interface CollectedFile {
  readonly path: string
  /** The folder (or file) the user gave that holds it: a symlink must not lead out of it. */
  readonly root: string
  readonly problem?: string
}

/**
 * The files the arguments name: a file as it is, a folder as all its source files, a glob as its
 * matches (relative to `cwd`). An argument that does not exist, or a glob matching nothing, is
 * returned with its problem. Sorted, each file once.
 */
export async function collectFiles(cwd: string, args: readonly string[]): Promise<CollectedFile[]> {
  const found = new Map<string, CollectedFile>()
  const add = (file: CollectedFile) => {
    if (!found.has(file.path)) found.set(file.path, file)
  }
  for (const arg of args) {
    if (isDynamicPattern(arg)) {
      const matches = await glob(arg, { cwd, absolute: true, ignore: IGNORED, dot: false })
      if (matches.length === 0)
        add({ path: path.resolve(cwd, arg), root: cwd, problem: 'matches no file' })
      for (const match of matches) add({ path: path.normalize(match), root: cwd })
      continue
    }
    const absolute = path.resolve(cwd, arg)
    const info = await stat(absolute).catch(() => undefined)
    if (!info) {
      const link = await lstat(absolute).catch(() => undefined)
      add({ path: absolute, root: absolute, problem: link ? 'a broken symlink' : 'does not exist' })
    } else if (info.isDirectory()) {
      const matches = await glob(`**/*.{${SOURCE_EXTENSIONS.join(',')}}`, {
        cwd: absolute,
        absolute: true,
        ignore: IGNORED,
      })
      for (const match of matches) add({ path: path.normalize(match), root: absolute })
    } else {
      add({ path: absolute, root: path.dirname(absolute) })
    }
  }
  return [...found.values()].sort((a, b) => a.path.localeCompare(b.path))
}

const realRoots = new Map<string, string>()

/** True when `file` resolves (through any symlink) to a place inside `root`. */
export function staysInside(file: string, root: string): boolean {
  let base = realRoots.get(root)
  if (base === undefined) realRoots.set(root, (base = realpathSync.native(root)))
  // The native realpath: one system call, where the JavaScript one lstats each path segment.
  const target = realpathSync.native(file)
  const relative = path.relative(base, target)
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative))
}
