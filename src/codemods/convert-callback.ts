import { Node, SyntaxKind } from 'ts-morph'
import type { TextEdit } from './text-edits'

/**
 * Rewrites a callback-style handler (`(event, context, callback)`, `context.succeed(…)`) as an
 * async one, which nodejs24.x requires: the body runs unchanged inside a promise whose `callback`
 * settles it, and `context.succeed / fail / done` become `resolve / reject / callback`. Returns
 * undefined for a function it cannot rewrite (no block body).
 *
 * @example
 * ```js
 * exports.handler = (event, context, callback) => { callback(null, { statusCode: 200 }) }
 * // becomes
 * exports.handler = async (event, context) => { return new Promise((resolve, reject) => {
 *   const callback = (error, result) => (error ? reject(error) : resolve(result))
 *   callback(null, { statusCode: 200 }) }) }
 * ```
 */
export function convertCallbackHandler(fn: Node, filePath: string): TextEdit[] | undefined {
  if (
    !Node.isArrowFunction(fn) &&
    !Node.isFunctionExpression(fn) &&
    !Node.isFunctionDeclaration(fn) &&
    !Node.isMethodDeclaration(fn)
  )
    return undefined
  const body = fn.getBody()
  if (!Node.isBlock(body)) return undefined
  const typed = /\.(c|m)?tsx?$/.test(filePath)
  const params = fn.getParameters()
  const edits: TextEdit[] = []
  if (!fn.isAsync()) {
    // Before `function`, or before the parameters of an arrow (after any `export` keywords).
    const start = (fn.getFirstChildByKind(SyntaxKind.FunctionKeyword) ?? fn).getStart()
    edits.push({ start, end: start, text: 'async ' })
  }
  const callbackParam = params[2]
  const contextName = params[1]?.getName() ?? 'context'
  let callbackName = 'callback'
  if (callbackParam) {
    callbackName = callbackParam.getName()
    edits.push({ start: params[1]!.getEnd(), end: callbackParam.getEnd(), text: '' })
  }
  const errorType = typed ? ': unknown' : ''
  const resultType = typed ? '?: unknown' : ''
  const open =
    `\n  return new Promise((resolve, reject) => {\n` +
    `    const ${callbackName} = (error${errorType}, result${resultType}) => (error ? reject(error) : resolve(result))`
  const blockStart = body.getStart() + 1
  edits.push({ start: blockStart, end: blockStart, text: open })
  for (const call of body.getDescendants()) {
    if (!Node.isCallExpression(call)) continue
    const callee = call.getExpression()
    if (!Node.isPropertyAccessExpression(callee)) continue
    if (callee.getExpression().getText() !== contextName) continue
    const replacement = { succeed: 'resolve', fail: 'reject', done: callbackName }[callee.getName()]
    if (replacement)
      edits.push({ start: callee.getStart(), end: callee.getEnd(), text: replacement })
  }
  const blockEnd = body.getEnd() - 1
  edits.push({ start: blockEnd, end: blockEnd, text: '  })\n' })
  return edits
}
