/** A replacement of the source range [start, end) by `text`. Insertions have start === end. */
export interface TextEdit {
  readonly start: number
  readonly end: number
  readonly text: string
}

/**
 * Applies non-overlapping edits to `source`. An edit nested inside another one is dropped: the
 * outer edit already rewrites that text (a dependency call inside another one's arguments is
 * traced by the outer subsegment).
 */
export function applyEdits(source: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start || b.end - a.end)
  const kept: TextEdit[] = []
  for (const edit of sorted) {
    const last = kept.at(-1)
    if (last && edit.start < last.end) continue
    kept.push(edit)
  }
  let result = source
  for (const edit of kept.reverse()) {
    result = result.slice(0, edit.start) + edit.text + result.slice(edit.end)
  }
  return result
}
