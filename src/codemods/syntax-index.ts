import { ts, type Node, type SourceFile } from 'ts-morph'

/** The nodes of a file the codemod looks at, found in one walk of the compiler's tree. */
export interface SyntaxIndex {
  readonly calls: readonly ts.CallExpression[]
  readonly news: readonly ts.NewExpression[]
  readonly variables: readonly ts.VariableDeclaration[]
}

const indexes = new WeakMap<ts.SourceFile, SyntaxIndex>()

/**
 * Calls, `new` expressions and variable declarations of a file, in source order. One walk of
 * compiler nodes, without ts-morph wrappers: wrapping every node of every file is most of what a
 * codemod over a thousand files would cost (ts-morph's performance guidance). Only the nodes that
 * pass a cheap check on their text are wrapped afterwards, with {@link wrap}.
 */
export function syntaxIndex(file: SourceFile): SyntaxIndex {
  const root = file.compilerNode
  const known = indexes.get(root)
  if (known) return known
  const index = {
    calls: [] as ts.CallExpression[],
    news: [] as ts.NewExpression[],
    variables: [] as ts.VariableDeclaration[],
  }
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) index.calls.push(node)
    else if (ts.isNewExpression(node)) index.news.push(node)
    else if (ts.isVariableDeclaration(node)) index.variables.push(node)
    ts.forEachChild(node, visit)
  }
  visit(root)
  indexes.set(root, index)
  return index
}

/** The ts-morph node of a compiler node of `file` (the same wrapper ts-morph hands out elsewhere). */
export function wrap<T extends Node = Node>(file: SourceFile, node: ts.Node): T {
  return (
    file as unknown as { _getNodeFromCompilerNode(node: ts.Node): T }
  )._getNodeFromCompilerNode(node)
}

/** The identifier a call or property chain starts from (`db` in `db.select().from(t)`), as text. */
export function rootName(node: ts.Expression): string | undefined {
  let current: ts.Expression = node
  for (;;) {
    if (ts.isIdentifier(current)) return current.text
    if (
      ts.isCallExpression(current) ||
      ts.isPropertyAccessExpression(current) ||
      ts.isElementAccessExpression(current) ||
      ts.isNonNullExpression(current) ||
      ts.isParenthesizedExpression(current)
    ) {
      current = current.expression
      continue
    }
    return undefined
  }
}

/** True when `node` contains an `await` outside any nested function. */
export function awaitsOutsideFunctions(node: ts.Node): boolean {
  const visit = (child: ts.Node): boolean => {
    if (ts.isFunctionLike(child)) return false
    if (ts.isAwaitExpression(child)) return true
    return ts.forEachChild(child, visit) ?? false
  }
  return ts.forEachChild(node, visit) ?? false
}
