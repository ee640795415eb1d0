import { Node, SyntaxKind, type CallExpression, type SourceFile } from 'ts-morph'
import type { DependencyKind } from '../manifest'
import { chainRoot, isInsideCallbackOf, isOutermostCall } from './syntax'

/** A call that reaches a dependency: the whole chain (`db.select().from(t).where(...)`), once. */
export interface DependencyCall {
  readonly call: CallExpression
  readonly kind: DependencyKind
}

/**
 * Finds the calls in `file` that reach a dependency client: chains rooted at a client binding
 * (`redis.get(key)`), and calls taking a client as an argument (`getSignedUrl(s3, command)`).
 * Calls already inside a `traced(...)` callback are skipped, which makes the codemod idempotent.
 */
export function dependencyCalls(
  file: SourceFile,
  bindings: ReadonlyMap<string, DependencyKind>,
): DependencyCall[] {
  const found: DependencyCall[] = []
  for (const call of file.getDescendantsOfKind(SyntaxKind.CallExpression)) {
    if (!isOutermostCall(call) || !call.getFirstAncestorByKind(SyntaxKind.Block)) continue
    const kind = kindOf(call, bindings)
    if (kind && !isInsideCallbackOf(call, 'traced')) found.push({ call, kind })
  }
  return found
}

function kindOf(
  call: CallExpression,
  bindings: ReadonlyMap<string, DependencyKind>,
): DependencyKind | undefined {
  const root = chainRoot(call)
  const rootKind = root && bindings.get(root.getText())
  if (rootKind) return rootKind
  for (const arg of call.getArguments()) {
    if (Node.isIdentifier(arg) && bindings.has(arg.getText())) return bindings.get(arg.getText())
  }
  return undefined
}
