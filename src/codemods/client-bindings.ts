import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import {
  Node,
  ts,
  type CallExpression,
  type NewExpression,
  type Project,
  type SourceFile,
} from 'ts-morph'
import { clientModule, TRACED_FETCH, type ClientKind, type ClientModule } from './client-modules'
import { rootName, syntaxIndex, wrap } from './syntax-index'

/** A local name that holds a client: `pool` in `const pool = new Pool()`. */
export interface ClientBinding {
  readonly kind: ClientKind
  /** AWS service of an SDK client (`S3`, `DynamoDB`), for subsegment names. */
  readonly awsService?: string
}

/** Where a file builds a client: the capture is applied there. */
export interface Construction {
  /** The expression that builds it: `new S3Client({})`, `createClient({ url })`. */
  readonly node: Node
  readonly client: ClientModule
  /** The local name of the imported module for `module`-style captures (`pg`), if any. */
  readonly moduleName?: string
  /** The module specifier, for a capture that must import the module itself. */
  readonly specifier: string
}

/** What a file's imports and declarations say about the clients it uses. */
export interface FileClients {
  readonly bindings: Map<string, ClientBinding>
  readonly constructions: Construction[]
  /** True when the file calls the global `fetch` (or the traced one the codemod declared). */
  readonly usesFetch: boolean
}

interface ImportedName {
  readonly client: ClientModule
  readonly specifier: string
  /** The export the local name stands for: [] for the module (default or namespace), [name] otherwise. */
  readonly path: readonly string[]
}

/** Extensions tried, in order, when a relative import names a local module. */
const LOCAL_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.mjs', '.cjs']

/**
 * Finds the clients of a file from what it imports: clients it constructs from a client library
 * (`new Pool()` from `pg`), clients a local module constructs and exports (`import { db } from
 * './db'`, `const { redis } = require('./cache')`), and modules that are clients themselves
 * (axios, the global `fetch`). `cache` holds the analysis of local modules across files.
 */
export function fileClients(
  file: SourceFile,
  project: Project,
  cache: Map<string, FileClients> = new Map(),
): FileClients {
  const cached = cache.get(file.getFilePath())
  if (cached) return cached
  const result: FileClients = { bindings: new Map(), constructions: [], usesFetch: false }
  cache.set(file.getFilePath(), result) // a cycle of local imports sees the partial result
  const imported = new Map<string, ImportedName>()

  for (const { local, specifier, name } of importedNames(file)) {
    const client = clientModule(specifier)
    if (client) {
      imported.set(local, { client, specifier, path: name === undefined ? [] : [name] })
      if (client.moduleIsClient && name === undefined)
        result.bindings.set(local, { kind: client.kind })
      continue
    }
    if (!specifier.startsWith('.') || name === '*') continue
    const target = localModule(project, file, specifier)
    if (!target) continue
    const exported = fileClients(target, project, cache)
    const binding = exported.bindings.get(name ?? defaultExportName(target) ?? '')
    if (binding) result.bindings.set(local, binding)
  }

  // Constructions: `new X(…)` / `x(…)` whose callee starts from an imported name.
  const { calls, news, variables } = syntaxIndex(file)
  const candidates = [...news, ...calls]
    .filter((node) => imported.has(rootName(node.expression) ?? ''))
    .sort((a, b) => a.pos - b.pos)
  for (const compilerNode of candidates) {
    const node = wrap<NewExpression | CallExpression>(file, compilerNode)
    const built = constructed(node, imported)
    if (!built) continue
    const { client, specifier, exportPath, root } = built
    result.constructions.push({
      node,
      client,
      specifier,
      ...(exportPath.length > 0 && imported.get(root)?.path.length === 0
        ? { moduleName: root }
        : {}),
    })
    const name = assignedName(node)
    if (name && !result.bindings.has(name))
      result.bindings.set(name, { kind: client.kind, ...awsService(client.kind, exportPath) })
  }

  // `const client = await pool.connect()`: a pooled connection is a client of the same kind.
  for (const declaration of variables) {
    let init = declaration.initializer
    if (init && ts.isAwaitExpression(init)) init = init.expression
    if (!init || !ts.isCallExpression(init)) continue
    const callee = init.expression
    if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'connect') continue
    const pool = result.bindings.get(rootName(callee.expression) ?? '')
    const name = declaration.name
    if (pool?.kind === 'postgres' && ts.isIdentifier(name) && !result.bindings.has(name.text))
      result.bindings.set(name.text, pool)
  }

  for (const call of calls) {
    if (!ts.isIdentifier(call.expression)) continue
    const name = call.expression.text
    if (name === TRACED_FETCH || (name === 'fetch' && !isDeclared(file, 'fetch'))) {
      ;(result as { usesFetch: boolean }).usesFetch = true
      result.bindings.set(name, { kind: 'fetch' })
    }
  }
  return result
}

/** Every name a file imports, ESM or CommonJS: local name, module, and the export it stands for. */
function importedNames(
  file: SourceFile,
): { local: string; specifier: string; name: string | undefined }[] {
  // Compiler nodes, not ts-morph wrappers: this runs on every file, and wrapping each import
  // and top-level statement was a tenth of the codemod's time (test/bench, codemod throughput).
  const sourceFile = file.compilerNode
  const text = (node: ts.Node) => node.getText(sourceFile)
  const names: { local: string; specifier: string; name: string | undefined }[] = []
  for (const statement of sourceFile.statements) {
    if (!ts.isImportDeclaration(statement)) continue
    const clause = statement.importClause
    if (clause?.isTypeOnly) continue
    if (!ts.isStringLiteral(statement.moduleSpecifier)) continue
    const specifier = statement.moduleSpecifier.text
    if (clause?.name) names.push({ local: text(clause.name), specifier, name: undefined })
    const bindings = clause?.namedBindings
    if (bindings && ts.isNamespaceImport(bindings))
      names.push({ local: text(bindings.name), specifier, name: undefined })
    if (!bindings || !ts.isNamedImports(bindings)) continue
    for (const named of bindings.elements) {
      if (named.isTypeOnly) continue
      // ts-morph's `getName()`: the imported name, a string literal's value (`{ 'a-b' as x }`).
      const nameNode = named.propertyName ?? named.name
      const imported = ts.isStringLiteral(nameNode) ? nameNode.text : text(nameNode)
      names.push({
        local: named.propertyName ? text(named.name) : imported,
        specifier,
        name: imported === 'default' ? undefined : imported,
      })
    }
  }
  // Top-level requires only: a require inside a function is rare and costs a walk of every node.
  for (const statement of sourceFile.statements) {
    if (!ts.isVariableStatement(statement)) continue
    for (const declaration of statement.declarationList.declarations) {
      const specifier = requiredModule(declaration.initializer, sourceFile)
      if (specifier === undefined) continue
      const nameNode = declaration.name
      if (ts.isIdentifier(nameNode)) {
        names.push({ local: text(nameNode), specifier, name: undefined })
      } else if (ts.isObjectBindingPattern(nameNode)) {
        for (const element of nameNode.elements) {
          const local = text(element.name)
          const property = element.propertyName ? text(element.propertyName) : local
          names.push({ local, specifier, name: property })
        }
      }
    }
  }
  return names
}

/** `require('pg')` or `require('pg').default` → `pg`. */
function requiredModule(node: ts.Node | undefined, sourceFile: ts.SourceFile): string | undefined {
  let current = node
  if (
    current &&
    ts.isPropertyAccessExpression(current) &&
    current.name.getText(sourceFile) === 'default'
  )
    current = current.expression
  if (
    !current ||
    !ts.isCallExpression(current) ||
    current.expression.getText(sourceFile) !== 'require'
  )
    return undefined
  const [first] = current.arguments
  return first && (ts.isStringLiteral(first) || ts.isNoSubstitutionTemplateLiteral(first))
    ? first.text
    : undefined
}

/** The source file a relative specifier names, added to the project on first use. */
export function localModule(
  project: Project,
  file: SourceFile,
  specifier: string,
): SourceFile | undefined {
  const base = path.resolve(file.getDirectoryPath(), specifier)
  const stem = base.replace(/\.(m|c)?js$/, '')
  const candidates = [
    base,
    ...LOCAL_EXTENSIONS.map((ext) => stem + ext),
    ...LOCAL_EXTENSIONS.map((ext) => path.join(base, `index${ext}`)),
  ]
  for (const candidate of candidates) {
    if (!LOCAL_EXTENSIONS.includes(path.extname(candidate))) continue
    const known = project.getSourceFile(candidate)
    if (known) return known
    if (!existsSync(candidate)) continue
    try {
      return project.createSourceFile(candidate, readFileSync(candidate, 'utf8'), {
        overwrite: true,
      })
    } catch {
      return undefined
    }
  }
  return undefined
}

/** `export default db` / `module.exports = db` → `db`. */
function defaultExportName(file: SourceFile): string | undefined {
  for (const assignment of file.getExportAssignments()) {
    const expression = assignment.getExpression()
    if (Node.isIdentifier(expression)) return expression.getText()
  }
  return undefined
}

/** The library export a construction reaches, when it builds a client. */
function constructed(
  node: NewExpression | CallExpression,
  imported: ReadonlyMap<string, ImportedName>,
): { client: ClientModule; specifier: string; exportPath: string[]; root: string } | undefined {
  const callee = node.getExpression()
  const properties: string[] = []
  let current: Node = callee
  while (Node.isPropertyAccessExpression(current)) {
    properties.unshift(current.getName())
    current = current.getExpression()
  }
  if (!Node.isIdentifier(current)) return undefined
  const source = imported.get(current.getText())
  if (!source) return undefined
  const exportPath = [...source.path, ...properties]
  if (!source.client.constructs(exportPath, Node.isNewExpression(node))) return undefined
  return {
    client: source.client,
    specifier: source.specifier,
    exportPath,
    root: current.getText(),
  }
}

/**
 * The variable a construction ends up in, through the calls that wrap it:
 * `const ddb = DynamoDBDocumentClient.from(new DynamoDBClient({}))` → `ddb` for both.
 */
function assignedName(node: Node): string | undefined {
  let current: Node = node
  for (;;) {
    const parent = current.getParent()
    if (!parent) return undefined
    if (
      Node.isCallExpression(parent) ||
      Node.isParenthesizedExpression(parent) ||
      Node.isAsExpression(parent) ||
      Node.isAwaitExpression(parent) ||
      Node.isSatisfiesExpression(parent) ||
      Node.isNonNullExpression(parent)
    ) {
      current = parent
      continue
    }
    if (Node.isVariableDeclaration(parent)) {
      const name = parent.getNameNode()
      return Node.isIdentifier(name) ? name.getText() : undefined
    }
    if (Node.isPropertyAssignment(parent)) return parent.getName()
    if (Node.isBinaryExpression(parent) && parent.getOperatorToken().getText() === '=') {
      const left = parent.getLeft()
      return Node.isPropertyAccessExpression(left) ? left.getName() : left.getText()
    }
    return undefined
  }
}

function awsService(kind: ClientKind, exportPath: readonly string[]): { awsService?: string } {
  if (kind === 'aws') {
    const name = exportPath.find((part) => /Client$/.test(part)) ?? ''
    const service = name.replace(/(Document)?Client$/, '')
    return service ? { awsService: service } : {}
  }
  if (kind === 'aws-v2' && exportPath[0]) return { awsService: exportPath[0] }
  return {}
}

/** True when `name` is declared in the file (a local `fetch` is not the global one). */
function isDeclared(file: SourceFile, name: string): boolean {
  return (
    file.getVariableDeclaration(name) !== undefined ||
    file.getFunction(name) !== undefined ||
    file
      .getImportDeclarations()
      .some((d) =>
        [d.getDefaultImport()?.getText(), ...d.getNamedImports().map((n) => n.getName())].includes(
          name,
        ),
      )
  )
}
