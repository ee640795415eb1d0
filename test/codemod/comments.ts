import { ts } from 'ts-morph'

/**
 * Every comment in `text`, read from the syntax tree (so nothing inside a string counts): what a
 * codemod case checks it kept.
 *
 * @example
 * expect(comments(output)).toEqual(expect.arrayContaining(comments(input)))
 */
export function comments(text: string): string[] {
  const file = ts.createSourceFile('comments.ts', text, ts.ScriptTarget.Latest, true)
  const found = new Map<number, string>()
  const visit = (node: ts.Node) => {
    const ranges = [
      ...(ts.getLeadingCommentRanges(text, node.pos) ?? []),
      ...(ts.getTrailingCommentRanges(text, node.end) ?? []),
    ]
    for (const range of ranges) found.set(range.pos, text.slice(range.pos, range.end))
    for (const child of node.getChildren(file)) visit(child)
  }
  visit(file)
  return [...found.values()]
}
