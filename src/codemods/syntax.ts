import { Node } from 'ts-morph'

/** The identifier a call or property chain starts from: `db` in `db.select().from(t)`. */
export function chainRoot(node: Node): Node | undefined {
  let current: Node = node
  for (;;) {
    if (Node.isIdentifier(current)) return current
    if (
      Node.isCallExpression(current) ||
      Node.isPropertyAccessExpression(current) ||
      Node.isElementAccessExpression(current) ||
      Node.isNonNullExpression(current) ||
      Node.isParenthesizedExpression(current)
    ) {
      current = current.getExpression()
      continue
    }
    return undefined
  }
}

/** Calls of a chain from its root outwards: `select()`, `from(t)`, `where(...)`. */
export function chainCalls(outermost: Node): { method: string; args: Node[] }[] {
  const calls: { method: string; args: Node[] }[] = []
  let current: Node = outermost
  while (Node.isCallExpression(current) || Node.isPropertyAccessExpression(current)) {
    if (Node.isCallExpression(current)) {
      const callee = current.getExpression()
      const method = Node.isPropertyAccessExpression(callee) ? callee.getName() : callee.getText()
      calls.unshift({ method, args: current.getArguments() })
    }
    current = current.getExpression()
  }
  return calls
}

/** Property names between the root and the first call: `query`, `mocInstructions` in `db.query.mocInstructions.findFirst()`. */
export function chainProperties(outermost: Node): string[] {
  const names: string[] = []
  let current: Node = outermost
  while (Node.isCallExpression(current) || Node.isPropertyAccessExpression(current)) {
    if (Node.isPropertyAccessExpression(current)) names.unshift(current.getName())
    current = current.getExpression()
  }
  return names
}

/** True when `call` is the last call of its chain (`.where(...)` in `db.select().from(t).where(...)`). */
export function isOutermostCall(call: Node): boolean {
  const parent = call.getParent()
  if (!Node.isPropertyAccessExpression(parent) || parent.getExpression() !== call) return true
  const grandparent = parent.getParent()
  return !(Node.isCallExpression(grandparent) && grandparent.getExpression() === parent)
}

/**
 * True for expressions that can be evaluated twice without changing behaviour (identifiers,
 * literals, property reads, templates of those): only such expressions are copied into a
 * subsegment's annotations or metadata.
 */
export function isPure(node: Node): boolean {
  if (
    Node.isIdentifier(node) ||
    Node.isStringLiteral(node) ||
    Node.isNumericLiteral(node) ||
    Node.isNoSubstitutionTemplateLiteral(node) ||
    Node.isTrueLiteral(node) ||
    Node.isFalseLiteral(node)
  ) {
    return true
  }
  if (Node.isTemplateExpression(node)) {
    return node.getTemplateSpans().every((span) => isPure(span.getExpression()))
  }
  if (
    Node.isPropertyAccessExpression(node) ||
    Node.isNonNullExpression(node) ||
    Node.isParenthesizedExpression(node)
  ) {
    return isPure(node.getExpression())
  }
  return false
}

/** True for literals that read as text: the first argument of `console.error('Failed', error)`. */
export function isStringLike(node: Node): boolean {
  return (
    Node.isStringLiteral(node) ||
    Node.isNoSubstitutionTemplateLiteral(node) ||
    Node.isTemplateExpression(node)
  )
}

/** True when `node` sits inside the callback of a call to `callee` (`traced(..., () => node)`). */
export function isInsideCallbackOf(node: Node, callee: string): boolean {
  return node.getAncestors().some((ancestor) => {
    if (!Node.isArrowFunction(ancestor) && !Node.isFunctionExpression(ancestor)) return false
    const parent = ancestor.getParent()
    return Node.isCallExpression(parent) && parent.getExpression().getText() === callee
  })
}

/** `{ Bucket: BUCKET, Key }` → the initializer of `name`, shorthand included. */
export function objectProperty(node: Node | undefined, name: string): Node | undefined {
  if (!Node.isObjectLiteralExpression(node)) return undefined
  const property = node.getProperty(name)
  if (Node.isPropertyAssignment(property)) return property.getInitializer()
  if (Node.isShorthandPropertyAssignment(property)) return property.getNameNode()
  return undefined
}

/** `putObject` or `PutObject` → `Put Object`. */
export function titleWords(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/^./, (first) => first.toUpperCase())
}
