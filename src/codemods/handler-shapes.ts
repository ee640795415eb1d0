import {
  Node,
  SyntaxKind,
  ts,
  type ArrowFunction,
  type CallExpression,
  type FunctionDeclaration,
  type FunctionExpression,
  type MethodDeclaration,
  type SourceFile,
} from 'ts-morph'
import { wrap } from './syntax-index'

/** One Lambda entry point of a file and what wrapping it takes. */
export interface HandlerShape {
  /** The exported name (`handler`, `main`, `default`). */
  readonly name: string
  readonly line: number
  /**
   * The expression `withTracing(config, …)` goes around: the function itself, the identifier of a
   * local function, or the inner function of a wrapper (`middy(fn)`, `sentry(fn)`). Undefined
   * for a function declaration (see `declaration`).
   */
  readonly target?: Node
  /** `export async function handler() {}`: the declaration becomes a wrapped const. */
  readonly declaration?: Node
  /** The declaration's own name when an export list exports it (`main` of `export { main as handler }`). */
  readonly localName?: string
  /** The function that runs per request, when the codemod can see it. */
  readonly fn?: Node
  /** Already wrapped by `withTracing`. */
  readonly traced: boolean
  /** Why it is left as it is, when it is. */
  readonly skip?: string
  /** `(event, context, callback)` or `context.succeed`: not run by nodejs24.x. */
  readonly callbackStyle: boolean
  /** `{ handler }` in `module.exports = { handler }`: the shorthand to expand. */
  readonly shorthand?: Node
}

/**
 * The top-level statements that can export something (the branches of {@link handlerShapes}),
 * found on compiler nodes: only these are wrapped as ts-morph nodes, not every statement.
 */
function exportStatements(file: SourceFile): Node[] {
  const statements: Node[] = []
  for (const statement of file.compilerNode.statements) {
    const candidate =
      ts.isExportDeclaration(statement) ||
      ts.isExportAssignment(statement) ||
      ((ts.isVariableStatement(statement) || ts.isFunctionDeclaration(statement)) &&
        (ts.getModifiers(statement)?.some((m) => m.kind === SyntaxKind.ExportKeyword) ?? false)) ||
      (ts.isExpressionStatement(statement) &&
        ts.isBinaryExpression(statement.expression) &&
        statement.expression.operatorToken.kind === SyntaxKind.EqualsToken)
    if (candidate) statements.push(wrap(file, statement))
  }
  return statements
}

/** Wrappers whose handler signature is not `(event, context)`: wrapping would break them. */
const STREAMING = /\bstreamifyResponse$/

const EVENT_PARAM = /^_?(event|evt|e|req|request|input)$/i
const EVENT_TYPE = /(Event|Request|Input)\b/

/**
 * Finds the Lambda handlers a file exports, in every shape the codemod supports: `export const`,
 * `export [async] function`, `export default`, CommonJS `exports.x =`, `module.exports.x =`,
 * `module.exports = { … }` and `module.exports = fn`, each possibly inside wrappers (middy,
 * Sentry). An export is a handler when it is named `handler` (or `…Handler`), when its first
 * parameter is an event (`event: APIGatewayProxyEvent`), or when `configured` (the `handler`
 * strings of the repository's CDK / serverless.yml / SST config) names it.
 */
export function handlerShapes(file: SourceFile, configured: ReadonlySet<string>): HandlerShape[] {
  const found: HandlerShape[] = []
  const consider = (name: string, value: Node, anchor: Node, shorthand?: Node) => {
    const shape = shapeOf(file, name, value, anchor, configured, shorthand)
    if (shape) found.push(shape)
  }

  for (const statement of exportStatements(file)) {
    if (Node.isVariableStatement(statement) && statement.hasExportKeyword()) {
      for (const declaration of statement.getDeclarations()) {
        const initializer = declaration.getInitializer()
        if (initializer) consider(declaration.getName(), initializer, declaration)
      }
    } else if (Node.isFunctionDeclaration(statement) && statement.hasExportKeyword()) {
      const name = statement.hasDefaultKeyword() ? 'default' : (statement.getName() ?? 'default')
      if (!isHandler(name, statement, configured)) continue
      found.push({
        name,
        line: statement.getStartLineNumber(),
        declaration: statement,
        fn: statement,
        traced: false,
        callbackStyle: isCallbackStyle(statement),
        ...(statement.hasBody() ? {} : { skip: 'a declaration without a body' }),
      })
    } else if (
      Node.isExportDeclaration(statement) &&
      !statement.getModuleSpecifier() &&
      !statement.isTypeOnly()
    ) {
      // `export { handler }`, `export { main as handler }`: the local declaration is wrapped.
      for (const specifier of statement.getNamedExports()) {
        const local = specifier.getName()
        const exported = specifier.getAliasNode()?.getText() ?? local
        const variable = file.getVariableDeclaration(local)
        const initializer = variable?.getInitializer()
        if (variable && initializer) {
          consider(exported, initializer, variable)
          continue
        }
        const fn = file.getFunction(local)
        if (!fn?.hasBody() || !isHandler(exported, fn, configured)) continue
        found.push({
          name: exported,
          line: fn.getStartLineNumber(),
          declaration: fn,
          localName: local,
          fn,
          traced: false,
          callbackStyle: isCallbackStyle(fn),
        })
      }
    } else if (Node.isExportAssignment(statement) && !statement.isExportEquals()) {
      consider('default', statement.getExpression(), statement)
    } else if (Node.isExportAssignment(statement)) {
      consider('handler', statement.getExpression(), statement)
    } else if (Node.isExpressionStatement(statement)) {
      const expression = statement.getExpression()
      if (!Node.isBinaryExpression(expression)) continue
      if (expression.getOperatorToken().getKind() !== SyntaxKind.EqualsToken) continue
      const left = expression.getLeft().getText().replace(/\s/g, '')
      const right = expression.getRight()
      const exported = /^(module\.)?exports\.([A-Za-z_$][\w$]*)$/.exec(left)
      if (exported) {
        consider(exported[2]!, right, statement)
      } else if (left === 'module.exports' && Node.isObjectLiteralExpression(right)) {
        for (const property of right.getProperties()) {
          if (Node.isPropertyAssignment(property)) {
            const initializer = property.getInitializer()
            if (initializer) consider(property.getName(), initializer, property)
          } else if (Node.isShorthandPropertyAssignment(property)) {
            consider(property.getName(), property.getNameNode(), property, property)
          } else if (Node.isMethodDeclaration(property)) {
            const name = property.getName()
            if (isHandler(name, property, configured))
              found.push({
                name,
                line: property.getStartLineNumber(),
                traced: false,
                callbackStyle: isCallbackStyle(property),
                skip: 'a method of module.exports: write it as `name: async (event) => …` to trace it',
              })
          }
        }
      } else if (left === 'module.exports') {
        consider('handler', right, statement)
      }
    }
  }
  return found
}

function shapeOf(
  file: SourceFile,
  name: string,
  value: Node,
  anchor: Node,
  configured: ReadonlySet<string>,
  shorthand?: Node,
): HandlerShape | undefined {
  const line = anchor.getStartLineNumber()
  const inner = innerFunction(file, value)
  if (!inner) return undefined
  const fn = inner.fn
  if (!isHandler(name, fn, configured)) return undefined
  const callbackStyle = fn ? isCallbackStyle(fn) : false
  const base = { name, line, fn, callbackStyle, traced: inner.traced }
  if (inner.streaming)
    return {
      ...base,
      skip: 'a streaming handler (streamifyResponse): withTracing does not pass the response stream on',
    }
  if (shorthand) return { ...base, target: value, shorthand }
  return { ...base, target: inner.target }
}

interface Inner {
  readonly target: Node
  readonly fn?: Node
  readonly traced: boolean
  readonly streaming: boolean
}

/** The function a handler export runs, looking through wrappers: `middy(fn).use(…)`, `sentry(fn)`. */
function innerFunction(file: SourceFile, value: Node): Inner | undefined {
  let current: Node = value
  while (
    Node.isParenthesizedExpression(current) ||
    Node.isAsExpression(current) ||
    Node.isSatisfiesExpression(current)
  )
    current = current.getExpression()
  if (Node.isArrowFunction(current) || Node.isFunctionExpression(current))
    return { target: current, fn: current, traced: false, streaming: false }
  if (Node.isIdentifier(current)) {
    const fn = localFunction(file, current.getText())
    return fn ? { target: current, fn, traced: false, streaming: false } : undefined
  }
  if (!Node.isCallExpression(current)) return undefined
  // A chain of wrapper calls: middy(fn).use(a).use(b), middy().use(a).handler(fn), sentry(fn).
  const calls: CallExpression[] = []
  let link: Node = current
  while (Node.isCallExpression(link) || Node.isPropertyAccessExpression(link)) {
    if (Node.isCallExpression(link)) calls.push(link)
    link = link.getExpression()
  }
  const calleeName = (call: CallExpression) => {
    const callee = call.getExpression()
    return Node.isPropertyAccessExpression(callee) ? callee.getName() : callee.getText()
  }
  if (calls.some((call) => calleeName(call) === 'withTracing'))
    return { target: current, traced: true, streaming: false }
  const withHandler = calls.find((call) => calleeName(call) === 'handler')
  const candidates = withHandler ? [withHandler] : calls.slice(-1)
  for (const call of candidates) {
    for (const arg of call.getArguments()) {
      const inner = innerFunction(file, arg)
      if (!inner) continue
      const streaming = inner.streaming || calls.some((c) => STREAMING.test(calleeName(c)))
      return { ...inner, streaming }
    }
  }
  return undefined
}

/** A function declared in the file under `name` (declaration or const arrow / function expression). */
function localFunction(file: SourceFile, name: string): Node | undefined {
  const declared = file.getFunction(name)
  if (declared) return declared
  const initializer = file.getVariableDeclaration(name)?.getInitializer()
  if (Node.isArrowFunction(initializer) || Node.isFunctionExpression(initializer))
    return initializer
  if (Node.isCallExpression(initializer)) return innerFunction(file, initializer)?.fn
  return undefined
}

function isHandler(name: string, fn: Node | undefined, configured: ReadonlySet<string>): boolean {
  if (name === 'handler' || /Handler$/.test(name) || configured.has(name)) return true
  if (!fn || !isFunction(fn)) return false
  const [first] = fn.getParameters()
  if (!first) return false
  const type = first.getTypeNode()?.getText() ?? ''
  return EVENT_TYPE.test(type) || (type === '' && EVENT_PARAM.test(first.getName()))
}

/** `(event, context, callback)`, or a body calling `context.succeed / fail / done`. */
export function isCallbackStyle(fn: Node): boolean {
  if (!isFunction(fn)) return false
  const params = fn.getParameters()
  if (params.length >= 3) return true
  const context = params[1]?.getName()
  if (!context) return false
  return new RegExp(`\\b${context}\\s*\\.\\s*(succeed|fail|done)\\s*\\(`).test(
    fn.getBody()?.getText() ?? '',
  )
}

/** A function with parameters and a body: declaration, expression, arrow or method. */
export function isFunction(
  node: Node,
): node is ArrowFunction | FunctionExpression | FunctionDeclaration | MethodDeclaration {
  return (
    Node.isArrowFunction(node) ||
    Node.isFunctionExpression(node) ||
    Node.isFunctionDeclaration(node) ||
    Node.isMethodDeclaration(node)
  )
}
