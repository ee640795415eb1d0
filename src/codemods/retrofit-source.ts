import path from 'node:path'
import { Node, SyntaxKind, ts, type CallExpression, type Project, type SourceFile } from 'ts-morph'
import { fileClients, type ClientBinding, type Construction } from './client-bindings'
import {
  CLIENT_MODULES,
  FETCH_CAPTURE,
  HAND_TRACING_MODULES,
  TRACED_FETCH,
  type CaptureSpec,
} from './client-modules'
import { convertCallbackHandler } from './convert-callback'
import type { SubsegmentPlan } from './describe-call'
import { describeClientCall } from './describe-client-call'
import { handlerShapes, isFunction, type HandlerShape } from './handler-shapes'
import { chainCalls, chainRoot, objectProperty } from './syntax'
import { applyEdits, type TextEdit } from './text-edits'
import { awaitsOutsideFunctions, rootName, syntaxIndex, wrap } from './syntax-index'

/** What the codemod needs besides the file: where the runtime lives and how to treat callbacks. */
export interface RetrofitOptions {
  readonly project: Project
  /** Absolute path of the tracing runtime folder. */
  readonly runtimeDir: string
  /** Export names the repository's config names as Lambda handlers (`main` of `orders.main`). */
  readonly configuredHandlers: ReadonlySet<string>
  readonly convertCallbacks: boolean
  /** Analysis of local modules, shared by the files of one run. */
  readonly cache?: Map<string, ReturnType<typeof fileClients>>
}

/** One business subsegment the codemod opens (or would open), for the report and `--check`. */
export interface AddedSubsegment {
  readonly line: number
  readonly name: string
  readonly operation?: string
  /** `table`, `bucket`, `index`, `host`… and its value as written. */
  readonly resource?: string
}

/** One handler the codemod wraps (or would wrap). */
export interface WrappedHandler {
  readonly line: number
  readonly name: string
  readonly service: string
  readonly converted: boolean
}

export interface SourceRetrofit {
  /** `skipped`: left byte-identical on purpose (`reason` says why). */
  readonly status: 'changed' | 'unchanged' | 'skipped' | 'failed'
  readonly text: string
  readonly reason?: string
  readonly handlers: readonly WrappedHandler[]
  readonly subsegments: readonly AddedSubsegment[]
  /** Captures applied where clients are constructed: `captureRedis (line 4)`. */
  readonly captures: readonly string[]
  /** What was left alone in a changed file, and why (`line 12: callback-style handler …`). */
  readonly notes: readonly string[]
}

const RUNTIME_NAMES = ['traced', 'withTracing'] as const
const PROMISE_METHODS = new Set(['then', 'catch', 'finally'])
/** Clients whose calls also take a trailing callback, and then return no promise to trace. */
const CALLBACK_APIS = new Set(['postgres', 'redis', 'ioredis'])
/** Knex drivers that run on `pg`, whose capture then covers Knex's queries. */
const KNEX_PG_CLIENTS = new Set(['pg', 'postgres', 'postgresql'])

/**
 * Retrofits tracing into one source file of any repository: each exported Lambda handler is
 * wrapped in `withTracing`, each call on a recognised client runs in a named business subsegment
 * (`traced(…)`), and where a client is constructed the runtime's capture is applied so its calls
 * are remote subsegments. Text edits only: what the codemod does not touch keeps its formatting
 * and comments. Running it on its own output changes nothing.
 */
export function retrofitSource(file: SourceFile, options: RetrofitOptions): SourceRetrofit {
  const original = file.getFullText()
  const nothing = { handlers: [], subsegments: [], captures: [], notes: [] }
  const syntaxError = firstSyntaxError(file)
  if (syntaxError)
    return { ...nothing, status: 'skipped', text: original, reason: `syntax error: ${syntaxError}` }
  const handTraced = handTracing(file)
  if (handTraced) return { ...nothing, status: 'skipped', text: original, reason: handTraced }

  const commonJs = isCommonJs(file)
  const clients = fileClients(file, options.project, options.cache)
  const edits: TextEdit[] = []
  const header: string[] = []
  const used = new Set<string>()
  const captureImports = new Map<string, string>() // capture function → runtime module
  const subsegments: AddedSubsegment[] = []
  const captures: string[] = []
  const notes: string[] = []

  // Business subsegments around the dependency calls.
  for (const { call, binding } of dependencyCalls(file, clients.bindings)) {
    const plan = describeClientCall(options.project, file, call, binding)
    subsegments.push(summary(call, plan))
    const open = tracedOpen(plan, awaitsInside(call))
    const callee = call.getExpression()
    if (binding.kind === 'fetch' && callee.getText() === 'fetch') {
      edits.push({ start: call.getStart(), end: callee.getEnd(), text: `${open}${TRACED_FETCH}` })
    } else {
      edits.push({ start: call.getStart(), end: call.getStart(), text: open })
    }
    edits.push({ start: call.getEnd(), end: call.getEnd(), text: ')' })
    used.add('traced')
  }

  // The global fetch becomes the traced one, declared once.
  if (clients.usesFetch) {
    for (const compilerCall of syntaxIndex(file).calls) {
      const callee = compilerCall.expression
      if (!ts.isIdentifier(callee) || callee.text !== 'fetch') continue
      if (hasFunctionAncestor(compilerCall)) continue
      edits.push({ start: callee.getStart(), end: callee.getEnd(), text: TRACED_FETCH })
    }
    if (!file.getVariableDeclaration(TRACED_FETCH)) {
      header.push(`const ${TRACED_FETCH} = ${FETCH_CAPTURE.name}()`)
      captureImports.set(FETCH_CAPTURE.name, FETCH_CAPTURE.module)
      captures.push(`${FETCH_CAPTURE.name} (fetch)`)
    }
  }

  // Captures where clients are constructed.
  for (const construction of clients.constructions) {
    const capture = construction.client.capture ?? knexOnPg(construction)
    if (!capture) continue
    const line = construction.node.getStartLineNumber()
    if (capture.style === 'module') {
      if (captureImports.has(capture.name) || new RegExp(`\\b${capture.name}\\(`).test(original))
        continue
      const moduleExpression = moduleReference(
        file,
        construction.client.kind === 'knex' ? { specifier: 'pg' } : construction,
        commonJs,
        header,
      )
      header.push(`${capture.name}(${moduleExpression})`)
      captureImports.set(capture.name, capture.module)
      captures.push(`${capture.name} (line ${line})`)
      continue
    }
    if (!Node.isNewExpression(construction.node) && construction.client.kind === 'aws') continue
    const parent = construction.node.getParent()
    if (Node.isCallExpression(parent) && parent.getExpression().getText() === capture.name) continue
    edits.push({
      start: construction.node.getStart(),
      end: construction.node.getStart(),
      text: `${capture.name}(`,
    })
    edits.push({ start: construction.node.getEnd(), end: construction.node.getEnd(), text: ')' })
    captureImports.set(capture.name, capture.module)
    captures.push(`${capture.name} (line ${line})`)
  }

  // Handlers.
  const handlers: WrappedHandler[] = []
  const shapes = handlerShapes(file, options.configuredHandlers)
  const base = serviceBase(file.getFilePath())
  for (const shape of shapes) {
    if (shape.traced) continue
    if (shape.skip) {
      notes.push(`line ${shape.line}: ${shape.name} left as it is: ${shape.skip}`)
      continue
    }
    let conversion: TextEdit[] = []
    if (shape.callbackStyle) {
      if (!options.convertCallbacks || !shape.fn) {
        notes.push(
          `line ${shape.line}: ${shape.name} is a callback-style handler, which nodejs24.x does not run: rerun with --convert-callbacks to make it async`,
        )
        continue
      }
      const converted = convertCallbackHandler(shape.fn, file.getFilePath())
      if (!converted) {
        notes.push(
          `line ${shape.line}: ${shape.name}: a callback-style handler the codemod cannot convert`,
        )
        continue
      }
      conversion = converted
    }
    const service =
      shape.name === 'handler' || shape.name === 'default' ? base : `${base}-${kebab(shape.name)}`
    // The wrapper's opening goes before an `async` the conversion adds at the same place.
    edits.push(...wrapEdits(shape, `withTracing({ service: '${service}' }, `), ...conversion)
    used.add('withTracing')
    handlers.push({ line: shape.line, name: shape.name, service, converted: conversion.length > 0 })
  }

  if (edits.length === 0 && header.length === 0) {
    const traced = shapes.some((shape) => shape.traced)
    return traced && notes.length === 0
      ? { ...nothing, status: 'skipped', text: original, reason: 'already traced by this runtime' }
      : { ...nothing, notes, status: 'unchanged', text: original }
  }

  const runtimeSpecifier = relativeSpecifier(file.getDirectoryPath(), options.runtimeDir)
  const imports: string[] = []
  const runtimeNames = RUNTIME_NAMES.filter((name) => used.has(name))
  edits.push(...importEdits(file, runtimeSpecifier, runtimeNames, commonJs, imports))
  for (const [name, module] of captureImports)
    edits.push(...importEdits(file, `${runtimeSpecifier}/${module}`, [name], commonJs, imports))
  const importLines = [...imports, ...header.filter((line) => line.startsWith('import '))]
  const statements = header.filter((line) => !line.startsWith('import '))
  if (importLines.length + statements.length > 0) {
    const { position, afterImports } = insertionPoint(file)
    const block = [importLines.join('\n'), statements.join('\n')].filter(Boolean)
    const text = afterImports
      ? `\n${importLines.join('\n')}${statements.length ? `\n\n${statements.join('\n')}` : ''}`.replace(
          /^\n\n/,
          '\n',
        )
      : `${block.join('\n\n')}\n\n`
    edits.push({ start: position, end: position, text })
  }

  const text = applyEdits(original, edits)
  const unparsable = rewriteThatDoesNotParse(text, file.getFilePath())
  if (unparsable) return { ...nothing, status: 'failed', text: original, reason: unparsable }
  return {
    status: text === original ? 'unchanged' : 'changed',
    text,
    handlers,
    subsegments,
    captures,
    notes,
  }
}

/** Calls on a client binding that reach its dependency, once per chain, not yet traced. */
export function dependencyCalls(
  file: SourceFile,
  bindings: ReadonlyMap<string, ClientBinding>,
): { call: CallExpression; binding: ClientBinding }[] {
  const found: { call: CallExpression; binding: ClientBinding }[] = []
  if (bindings.size === 0) return found
  for (const compilerCall of syntaxIndex(file).calls) {
    // Text checks first: only calls that can reach a client are wrapped as ts-morph nodes.
    const root = rootName(compilerCall.expression)
    const callee = compilerCall.expression
    const calleeName = ts.isPropertyAccessExpression(callee) ? callee.name.text : root
    if (!(root && bindings.has(root)) && calleeName !== 'getSignedUrl') continue
    // Position checks on compiler nodes too: a wrapper per ancestor is what they would cost.
    if (!isChainEnd(compilerCall) || !hasFunctionAncestor(compilerCall)) continue
    const call = wrap<CallExpression>(file, compilerCall)
    const binding = bindingOf(call, bindings)
    if (binding && !insideTracedCallback(compilerCall, file.compilerNode))
      found.push({ call, binding })
  }
  return found
}

/** The last call of a chain, or the last one before `.then / .catch / .finally` (see `isOutermostCall`). */
function isChainEnd(call: ts.CallExpression): boolean {
  const parent = call.parent
  if (!ts.isPropertyAccessExpression(parent) || parent.expression !== call) return true
  const grandparent = parent.parent
  if (!(ts.isCallExpression(grandparent) && grandparent.expression === parent)) return true
  return PROMISE_METHODS.has(parent.name.text)
}

/** True when `node` sits inside a function (arrow, expression, declaration or method). */
function hasFunctionAncestor(node: ts.Node): boolean {
  for (let current = node.parent; current; current = current.parent)
    if (
      ts.isArrowFunction(current) ||
      ts.isFunctionExpression(current) ||
      ts.isFunctionDeclaration(current) ||
      ts.isMethodDeclaration(current)
    )
      return true
  return false
}

/** `isInsideCallbackOf(node, 'traced')` on compiler nodes: inside `traced(…, () => node)`. */
function insideTracedCallback(node: ts.Node, sourceFile: ts.SourceFile): boolean {
  for (let current = node.parent; current; current = current.parent) {
    if (!ts.isArrowFunction(current) && !ts.isFunctionExpression(current)) continue
    const parent = current.parent
    if (ts.isCallExpression(parent) && parent.expression.getText(sourceFile) === 'traced')
      return true
  }
  return false
}

function bindingOf(
  call: CallExpression,
  bindings: ReadonlyMap<string, ClientBinding>,
): ClientBinding | undefined {
  const root = chainRoot(call)
  const binding = root && bindings.get(root.getText())
  if (binding && root) {
    if (binding.kind === 'fetch') return call.getExpression() === root ? binding : undefined
    const calls = chainCalls(call)
    // `redis.get(k).then(…)`: the call before `.then` is the dependency call, found on its own.
    if (calls.some((c) => PROMISE_METHODS.has(c.method))) return undefined
    let innermost: Node = call
    while (Node.isCallExpression(innermost) || Node.isPropertyAccessExpression(innermost)) {
      const next: Node = innermost.getExpression()
      if (Node.isCallExpression(innermost) && next === root) break
      innermost = next
    }
    const methods = calls.map((c) => c.method)
    if (Node.isCallExpression(innermost) && innermost.getExpression() === root) methods[0] = ''
    // `pool.query(sql, (error, result) => …)`: a callback API call returns before it is done.
    const lastArg = call.getArguments().at(-1)
    if (CALLBACK_APIS.has(binding.kind) && lastArg && isFunction(lastArg)) return undefined
    const client = CLIENT_MODULES.find((entry) => entry.kind === binding.kind)
    return client?.isDependencyCall(methods) ? binding : undefined
  }
  // getSignedUrl(s3, new GetObjectCommand(…)): the client is an argument.
  const callee = call.getExpression().getText()
  if (callee !== 'getSignedUrl' && !callee.endsWith('.getSignedUrl')) return undefined
  for (const arg of call.getArguments()) {
    const argBinding = Node.isIdentifier(arg) ? bindings.get(arg.getText()) : undefined
    if (argBinding?.kind === 'aws') return argBinding
  }
  return undefined
}

function summary(call: CallExpression, plan: SubsegmentPlan): AddedSubsegment {
  const operation = plan.annotations.find(([key]) => key === 'operation')?.[1]
  const resource = plan.annotations.find(([key]) => key !== 'operation')
  return {
    line: call.getStartLineNumber(),
    name: plan.name,
    ...(operation ? { operation: operation.replace(/^'|'$/g, '') } : {}),
    ...(resource ? { resource: `${resource[0]} ${resource[1]}` } : {}),
  }
}

const quote = (text: string) => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`

function tracedOpen(plan: SubsegmentPlan, isAsync: boolean): string {
  const fields = (entries: SubsegmentPlan['annotations']) =>
    `{ ${entries.map(([key, value]) => (key === value ? key : `${key}: ${value}`)).join(', ')} }`
  const options = [
    plan.annotations.length ? `annotations: ${fields(plan.annotations)}` : '',
    plan.metadata.length ? `metadata: ${fields(plan.metadata)}` : '',
  ].filter(Boolean)
  return `traced(${quote(plan.name)}, { ${options.join(', ')} }, ${isAsync ? 'async ' : ''}() => `
}

function awaitsInside(call: CallExpression): boolean {
  return awaitsOutsideFunctions(call.compilerNode)
}

/** The edits that put `open … )` around a handler. */
function wrapEdits(shape: HandlerShape, open: string): TextEdit[] {
  if (shape.shorthand) {
    const node = shape.shorthand
    return [
      { start: node.getStart(), end: node.getEnd(), text: `${shape.name}: ${open}${shape.name})` },
    ]
  }
  if (shape.target) {
    return [
      { start: shape.target.getStart(), end: shape.target.getStart(), text: open },
      { start: shape.target.getEnd(), end: shape.target.getEnd(), text: ')' },
    ]
  }
  const declaration = shape.declaration!
  if (shape.localName) {
    // Exported by a list: `async function main() {}` becomes `const main = withTracing(…, async function main() {})`.
    return [
      {
        start: declaration.getStart(),
        end: declaration.getStart(),
        text: `const ${shape.localName} = ${open}`,
      },
      { start: declaration.getEnd(), end: declaration.getEnd(), text: ')' },
    ]
  }
  const exportKeyword = declaration.getFirstDescendantByKind(SyntaxKind.ExportKeyword)!
  const defaultKeyword = declaration.getFirstDescendantByKind(SyntaxKind.DefaultKeyword)
  const keywordsEnd = (defaultKeyword ?? exportKeyword).getEnd()
  const replacement = defaultKeyword
    ? `export default ${open}`
    : `export const ${shape.name} = ${open}`
  // The keywords go; the function (comments and all) stays where it was, now an expression.
  const afterKeywords = declaration
    .getSourceFile()
    .getFullText()
    .slice(keywordsEnd)
    .match(/^\s*/)![0]
  return [
    { start: exportKeyword.getStart(), end: keywordsEnd + afterKeywords.length, text: replacement },
    { start: declaration.getEnd(), end: declaration.getEnd(), text: ')' },
  ]
}

/** Knex on `pg` (`knex({ client: 'pg' })`): the Postgres capture, applied to `pg` itself. */
function knexOnPg(construction: Construction): CaptureSpec | undefined {
  if (construction.client.kind !== 'knex' || !Node.isCallExpression(construction.node))
    return undefined
  const driver = objectProperty(construction.node.getArguments()[0], 'client')
  if (!Node.isStringLiteral(driver) || !KNEX_PG_CLIENTS.has(driver.getLiteralText()))
    return undefined
  return CLIENT_MODULES.find((entry) => entry.kind === 'postgres')?.capture
}

/** The expression naming the imported module for a module-wide capture (`pg`), imported if need be. */
function moduleReference(
  file: SourceFile,
  construction: { moduleName?: string; specifier: string },
  commonJs: boolean,
  header: string[],
): string {
  if (construction.moduleName) return construction.moduleName
  for (const declaration of file.getImportDeclarations()) {
    if (declaration.getModuleSpecifierValue() !== construction.specifier) continue
    const whole = declaration.getDefaultImport() ?? declaration.getNamespaceImport()
    if (whole) return whole.getText()
  }
  if (commonJs) return `require(${quote(construction.specifier)})`
  // No binder or checker for this: a name `pg` declared anywhere in the file is taken.
  const taken = hasIdentifier(file.compilerNode, 'pg')
  const name = taken ? 'pgModule' : 'pg'
  header.unshift(`import * as ${name} from ${quote(construction.specifier)}`)
  return name
}

/** True when an identifier `name` appears in the tree (a walk of compiler nodes, no wrappers). */
function hasIdentifier(node: ts.Node, name: string): boolean {
  if (ts.isIdentifier(node)) return node.text === name
  return ts.forEachChild(node, (child) => hasIdentifier(child, name) || undefined) ?? false
}

/** Adds `names` to the import of `specifier` (merging into an existing one), ESM or CommonJS. */
function importEdits(
  file: SourceFile,
  specifier: string,
  names: readonly string[],
  commonJs: boolean,
  lines: string[],
): TextEdit[] {
  if (names.length === 0) return []
  // Compiler nodes (the first matching top-level import, then the top-level requires), no wrappers.
  const sourceFile = file.compilerNode
  const existing = sourceFile.statements.find(
    (statement): statement is ts.ImportDeclaration =>
      ts.isImportDeclaration(statement) &&
      ts.isStringLiteral(statement.moduleSpecifier) &&
      statement.moduleSpecifier.text === specifier,
  )
  if (existing) {
    const bindings = existing.importClause?.namedBindings
    const named = bindings && ts.isNamedImports(bindings) ? bindings.elements : []
    const have = new Set(named.map((n) => importedName(n, sourceFile)))
    const missing = names.filter((name) => !have.has(name))
    const lastNamed = named.at(-1)
    if (missing.length === 0 || !lastNamed) return []
    return [{ start: lastNamed.end, end: lastNamed.end, text: `, ${missing.join(', ')}` }]
  }
  for (const statement of sourceFile.statements) {
    if (!ts.isVariableStatement(statement)) continue
    for (const declaration of statement.declarationList.declarations) {
      const init = declaration.initializer
      if (!init || !ts.isCallExpression(init) || init.expression.getText(sourceFile) !== 'require')
        continue
      const [arg] = init.arguments
      if (!arg || !ts.isStringLiteral(arg) || arg.text !== specifier) continue
      const pattern = declaration.name
      if (!ts.isObjectBindingPattern(pattern)) continue
      const have = new Set(pattern.elements.map((e) => e.name.getText(sourceFile)))
      const missing = names.filter((name) => !have.has(name))
      const lastElement = pattern.elements.at(-1)
      if (missing.length === 0 || !lastElement) return []
      return [{ start: lastElement.end, end: lastElement.end, text: `, ${missing.join(', ')}` }]
    }
  }
  lines.push(
    commonJs
      ? `const { ${names.join(', ')} } = require(${quote(specifier)})`
      : `import { ${names.join(', ')} } from ${quote(specifier)}`,
  )
  return []
}

/** The name an import specifier imports (ts-morph's `getName()`: a string literal's value). */
function importedName(specifier: ts.ImportSpecifier, sourceFile: ts.SourceFile): string {
  const node = specifier.propertyName ?? specifier.name
  return ts.isStringLiteral(node) ? node.text : node.getText(sourceFile)
}

/** After the imports (ESM or `require`), or before the first statement (after `'use strict'`). */
function insertionPoint(file: SourceFile): { position: number; afterImports: boolean } {
  const statements = file.getStatements()
  let lastImport: Node | undefined
  for (const statement of statements) {
    if (Node.isImportDeclaration(statement) || isRequireStatement(statement)) lastImport = statement
    else if (!isDirective(statement) && lastImport) break
  }
  if (lastImport) return { position: lastImport.getEnd(), afterImports: true }
  const first = statements.find((s) => !isDirective(s))
  if (!first) return { position: file.getEnd(), afterImports: true }
  return { position: first.getStart(), afterImports: false }
}

function isRequireStatement(node: Node): boolean {
  if (!Node.isVariableStatement(node)) return false
  return node.getDeclarations().every((d) => {
    let init = d.getInitializer()
    if (Node.isPropertyAccessExpression(init)) init = init.getExpression()
    return Node.isCallExpression(init) && init.getExpression().getText() === 'require'
  })
}

function isDirective(node: Node): boolean {
  return Node.isExpressionStatement(node) && Node.isStringLiteral(node.getExpression())
}

/** The statements that take an `export` keyword (ts-morph's `Node.isExportable`). */
const EXPORTABLE = new Set<ts.SyntaxKind>([
  ts.SyntaxKind.ClassDeclaration,
  ts.SyntaxKind.EnumDeclaration,
  ts.SyntaxKind.FunctionDeclaration,
  ts.SyntaxKind.ImportEqualsDeclaration,
  ts.SyntaxKind.InterfaceDeclaration,
  ts.SyntaxKind.ModuleDeclaration,
  ts.SyntaxKind.TypeAliasDeclaration,
  ts.SyntaxKind.VariableStatement,
])

const hasExportModifier = (node: ts.Node) =>
  ts.canHaveModifiers(node) &&
  (ts.getModifiers(node)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword) ?? false)

/** CommonJS when it says so (`.cjs`), or when it has no ESM syntax and uses require / exports. */
function isCommonJs(file: SourceFile): boolean {
  const extension = path.extname(file.getFilePath())
  if (extension === '.cjs' || extension === '.cts') return true
  if (extension === '.mjs' || extension === '.mts') return false
  // Compiler nodes: the same checks as ts-morph's import / export getters, without wrappers.
  for (const statement of file.compilerNode.statements) {
    if (ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)) return false
    if (EXPORTABLE.has(statement.kind) && hasExportModifier(statement)) return false
    if (ts.isExportAssignment(statement) && !statement.isExportEquals) return false
  }
  return /\b(require\(|module\.exports|exports\.)/.test(file.getFullText())
}

function handTracing(file: SourceFile): string | undefined {
  const text = file.getFullText()
  for (const [module, reason] of Object.entries(HAND_TRACING_MODULES)) {
    if (
      importsModule(file.compilerNode, module) ||
      text.includes(`require('${module}')`) ||
      text.includes(`require("${module}")`)
    )
      return `already ${reason}`
  }
  return undefined
}

/** True when the file has an `import … from module` (compiler nodes: no wrappers built). */
function importsModule(file: ts.SourceFile, module: string): boolean {
  return file.statements.some(
    (statement) =>
      ts.isImportDeclaration(statement) &&
      ts.isStringLiteral(statement.moduleSpecifier) &&
      statement.moduleSpecifier.text === module,
  )
}

function firstSyntaxError(file: SourceFile): string | undefined {
  const diagnostics = (file.compilerNode as unknown as { parseDiagnostics?: ts.Diagnostic[] })
    .parseDiagnostics
  const first = diagnostics?.[0]
  if (!first) return undefined
  const { line } = file.compilerNode.getLineAndCharacterOfPosition(first.start ?? 0)
  return `line ${line + 1}: ${ts.flattenDiagnosticMessageText(first.messageText, ' ')}`
}

/**
 * Why a rewritten text must not be written, when it would not parse: the file then fails and
 * keeps its original text. Undefined when it parses.
 */
export function rewriteThatDoesNotParse(text: string, filePath: string): string | undefined {
  const error = syntaxErrorIn(text, filePath)
  return error && `the rewritten file would not parse (${error}); left as it was`
}

/** The first syntax error of `text` parsed as the file at `filePath`, if any. */
export function syntaxErrorIn(text: string, filePath: string): string | undefined {
  const kind = filePath.endsWith('.tsx')
    ? ts.ScriptKind.TSX
    : filePath.endsWith('.jsx')
      ? ts.ScriptKind.JSX
      : /\.(c|m)?js$/.test(filePath)
        ? ts.ScriptKind.JS
        : ts.ScriptKind.TS
  const parsed = ts.createSourceFile(filePath, text, ts.ScriptTarget.Latest, false, kind)
  const first = (parsed as unknown as { parseDiagnostics?: ts.Diagnostic[] }).parseDiagnostics?.[0]
  if (!first) return undefined
  const { line } = parsed.getLineAndCharacterOfPosition(first.start ?? 0)
  return `line ${line + 1}: ${ts.flattenDiagnosticMessageText(first.messageText, ' ')}`
}

function serviceBase(filePath: string): string {
  const name = path.basename(filePath).split('.')[0]!
  return name === 'index' ? kebab(path.basename(path.dirname(filePath))) : kebab(name)
}

const kebab = (name: string) =>
  name
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .toLowerCase()

function relativeSpecifier(fromDir: string, target: string): string {
  const relative = path.relative(fromDir, target).split(path.sep).join('/')
  return relative.startsWith('.') ? relative : `./${relative}`
}

export type { CaptureSpec }
