import path from 'node:path'
import {
  Node,
  Project,
  SyntaxKind,
  type CallExpression,
  type PropertyAccessExpression,
  type SourceFile,
  ts,
} from 'ts-morph'
import type { DependencySpec, ServiceSpec } from '../manifest'
import { dependencyBindings } from './dependency-bindings'
import { dependencyCalls } from './dependency-calls'
import { describeCall, type SubsegmentPlan } from './describe-call'
import { isPure, isStringLike } from './syntax'
import { applyEdits, type TextEdit } from './text-edits'

/** What the retrofit needs to know about the app around a handler file. */
export interface RetrofitContext {
  /** Project holding the app's sources (for resolving Drizzle tables). */
  readonly project: Project
  /** The app's `src/` folder. */
  readonly srcDir: string
  readonly service: ServiceSpec
  readonly dependencies: readonly DependencySpec[]
  /** The tracing runtime's module, relative to `srcDir`. */
  readonly runtimeModule: string
}

export interface RetrofitResult {
  readonly text: string
  /** Names of the business subsegments added, in source order. */
  readonly subsegments: readonly string[]
}

const RUNTIME_EXPORTS = ['withTracing', 'traced', 'captureError', 'logger'] as const
type RuntimeExport = (typeof RUNTIME_EXPORTS)[number]

const consoleLevels: Record<string, string> = {
  log: 'info',
  info: 'info',
  debug: 'debug',
  warn: 'warn',
  error: 'error',
}

/**
 * Retrofits X-Ray tracing into one Lambda handler file:
 * - `export const handler = async (...) => ...` becomes `withTracing(config, async (...) => ...)`;
 * - every dependency call runs inside a descriptive business subsegment (`traced(...)`);
 * - catch blocks that log an error record it on the trace (`captureError`);
 * - `console.*` calls become JSON logger calls that carry the trace id.
 * Running it on its own output changes nothing.
 */
export function retrofitHandler(file: SourceFile, context: RetrofitContext): RetrofitResult {
  const used = new Set<RuntimeExport>()
  const edits: TextEdit[] = []
  const subsegments: string[] = []

  const bindings = dependencyBindings(file, context.dependencies)
  for (const { call, kind } of dependencyCalls(file, bindings)) {
    const label = context.dependencies.find((d) => d.kind === kind)?.label ?? kind
    const plan = describeCall(context.project, file, call, kind, label)
    subsegments.push(plan.name)
    // Insertions around the call, never a replacement of it, so the edits inside it still apply.
    const open = tracedOpen(plan, awaitsInside(call))
    edits.push({ start: call.getStart(), end: call.getStart(), text: open })
    edits.push(...narrowingAssertions(call))
    edits.push({ start: call.getEnd(), end: call.getEnd(), text: ')' })
    used.add('traced')
  }
  edits.push(
    ...captureErrors(file, used),
    ...replaceConsole(file, used),
    ...wrapHandler(file, context, used),
  )

  const text = applyEdits(file.getFullText(), edits)
  const runtimeSpecifier = relativeSpecifier(
    file.getDirectoryPath(),
    path.join(context.srcDir, context.runtimeModule),
  )
  return { text: addRuntimeImport(text, runtimeSpecifier, used), subsegments }
}

/**
 * The `!`s the dependency call needs as the body of the `traced` callback. TypeScript does not
 * carry the narrowing of a property read (`if (moc.key) ...moc.key`) into a closure, so a read the
 * original code had narrowed to non-null gets a `!`: the callback runs synchronously at the same
 * place, so the original check still holds there.
 */
function narrowingAssertions(call: CallExpression): TextEdit[] {
  const edits: TextEdit[] = []
  for (const access of call.getDescendantsOfKind(SyntaxKind.PropertyAccessExpression)) {
    const parent = access.getParent()
    if (Node.isCallExpression(parent) && parent.getExpression() === access) continue
    if (Node.isNonNullExpression(parent)) continue // asserted already
    if (!isPure(access) || !losesNarrowing(access)) continue
    edits.push({ start: access.getEnd(), end: access.getEnd(), text: '!' })
  }
  return edits
}

/**
 * True when the call awaits in its own arguments (not inside a function of its own): its `traced`
 * callback must then be async, or the output would not parse.
 */
function awaitsInside(call: CallExpression): boolean {
  let found = false
  call.forEachDescendant((node, traversal) => {
    if (Node.isFunctionLikeDeclaration(node)) traversal.skip()
    else if (Node.isAwaitExpression(node)) found = true
  })
  return found
}

function losesNarrowing(access: PropertyAccessExpression): boolean {
  const symbol = access.getSymbol()
  if (!symbol || access.getType().isNullable()) return false
  const checker = access.getProject().getTypeChecker().compilerObject
  const declared = checker.getTypeOfSymbol(symbol.compilerSymbol)
  const nullish = ts.TypeFlags.Null | ts.TypeFlags.Undefined
  const parts = declared.isUnion() ? declared.types : [declared]
  return parts.some((part) => (part.flags & nullish) !== 0)
}

function tracedOpen(plan: SubsegmentPlan, isAsync: boolean): string {
  const fields = (entries: SubsegmentPlan['annotations']) =>
    `{ ${entries.map(([key, value]) => `${key}: ${value}`).join(', ')} }`
  const options = [
    plan.annotations.length ? `annotations: ${fields(plan.annotations)}` : '',
    plan.metadata.length ? `metadata: ${fields(plan.metadata)}` : '',
  ].filter(Boolean)
  return `traced(${JSON.stringify(plan.name)}, { ${options.join(', ')} }, ${isAsync ? 'async ' : ''}() => `
}

/** Catch blocks that log an error are the ones where the request failed: record it on the trace. */
function captureErrors(file: SourceFile, used: Set<RuntimeExport>): TextEdit[] {
  const edits: TextEdit[] = []
  for (const clause of file.getDescendantsOfKind(SyntaxKind.CatchClause)) {
    const variable = clause.getVariableDeclaration()?.getName()
    const block = clause.getBlock()
    const body = block.getText()
    if (!variable || !/\b(console|logger)\.error\(/.test(body)) continue
    used.add('captureError')
    if (/\bcaptureError\(/.test(body)) continue
    const open = block.getStart() + 1
    edits.push({ start: open, end: open, text: `\ncaptureError(${variable})` })
  }
  return edits
}

function replaceConsole(file: SourceFile, used: Set<RuntimeExport>): TextEdit[] {
  const edits: TextEdit[] = []
  for (const call of file.getDescendantsOfKind(SyntaxKind.CallExpression)) {
    const callee = call.getExpression()
    if (
      !Node.isPropertyAccessExpression(callee) ||
      callee.getExpression().getText() !== 'console'
    ) {
      if (callee.getText().startsWith('logger.')) used.add('logger')
      continue
    }
    const level = consoleLevels[callee.getName()]
    if (!level) continue
    const [first, ...rest] = call.getArguments()
    const message = !first
      ? "''"
      : isStringLike(first)
        ? first.getText()
        : `String(${first.getText()})`
    const extra =
      rest.length === 0
        ? ''
        : rest.length === 1
          ? `, ${rest[0]!.getText()}`
          : `, [${rest.map((r) => r.getText()).join(', ')}]`
    edits.push({
      start: call.getStart(),
      end: call.getEnd(),
      text: `logger.${level}(${message}${extra})`,
    })
    used.add('logger')
  }
  return edits
}

/**
 * Wraps the exported handler in `withTracing(config, ...)`. Done as two insertions around the
 * function, never as a replacement of it, so the edits inside its body still apply.
 */
function wrapHandler(
  file: SourceFile,
  context: RetrofitContext,
  used: Set<RuntimeExport>,
): TextEdit[] {
  const config = JSON.stringify({
    service: context.service.id,
    annotations: context.service.annotations,
  })
  const open = `withTracing(${config}, `
  const initializer = file.getVariableDeclaration('handler')?.getInitializer()
  used.add('withTracing')
  if (Node.isArrowFunction(initializer) || Node.isFunctionExpression(initializer)) {
    return [
      { start: initializer.getStart(), end: initializer.getStart(), text: open },
      { start: initializer.getEnd(), end: initializer.getEnd(), text: ')' },
    ]
  }
  if (
    Node.isCallExpression(initializer) &&
    initializer.getExpression().getText() === 'withTracing'
  ) {
    return []
  }
  const fn = file.getFunction('handler')
  const exportKeyword = fn?.getFirstModifierByKind(SyntaxKind.ExportKeyword)
  if (fn && exportKeyword && fn.hasBody() && !fn.isDefaultExport()) {
    return [
      {
        start: exportKeyword.getStart(),
        end: exportKeyword.getEnd(),
        text: `export const handler = ${open}`,
      },
      { start: fn.getEnd(), end: fn.getEnd(), text: ')' },
    ]
  }
  throw new Error(
    `${file.getFilePath()}: no exported \`handler\` function found; export the Lambda handler as \`handler\``,
  )
}

/** Adds (or completes) the import of the runtime functions the rewritten file uses. */
function addRuntimeImport(
  text: string,
  specifier: string,
  used: ReadonlySet<RuntimeExport>,
): string {
  const file = new Project({ useInMemoryFileSystem: true }).createSourceFile('handler.ts', text)
  const names = RUNTIME_EXPORTS.filter((name) => used.has(name))
  if (names.length === 0) return text
  const existing = file.getImportDeclaration((d) => d.getModuleSpecifierValue() === specifier)
  if (existing) {
    const have = new Set(existing.getNamedImports().map((n) => n.getName()))
    const missing = names.filter((name) => !have.has(name))
    if (missing.length === 0) return text
    existing.addNamedImports(missing)
  } else {
    const imports = file.getImportDeclarations()
    file.insertImportDeclaration(imports.length, {
      namedImports: names,
      moduleSpecifier: specifier,
    })
  }
  return file.getFullText()
}

function relativeSpecifier(fromDir: string, target: string): string {
  const relative = path.relative(fromDir, target).split(path.sep).join('/')
  return relative.startsWith('.') ? relative : `./${relative}`
}
