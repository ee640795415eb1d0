import { readFileSync } from 'node:fs'
import {
  Node,
  Project,
  SyntaxKind,
  type ArrayLiteralExpression,
  type Expression,
  type ObjectLiteralExpression,
} from 'ts-morph'
import { ManifestError } from '../manifest'
import type { ServiceChange } from './add-service'

/** One source file of the config with its text before and after an edit. */
export interface EditedSource {
  /** Absolute path. */
  readonly file: string
  readonly before: string
  readonly after: string
}

/**
 * Writes a {@link ServiceChange} into the config's source: a new service object at the end of
 * `app.services`, or the new routes, annotations and dependencies of an existing one appended to
 * its lists. `app` and `services` may be written inline or be identifiers imported from another
 * module (here the lego-api manifest is imported from src/manifest/lego-api.ts); the edit lands
 * where the array literal is. Text edits through ts-morph: the rest of the file, comments
 * included, is kept; the caller formats the result.
 */
export function editConfigSource(configFile: string, change: ServiceChange): EditedSource {
  const project = new Project({
    compilerOptions: { allowJs: true, strict: true },
    skipAddingFilesFromTsConfig: true,
  })
  const source = project.addSourceFileAtPath(configFile)
  project.resolveSourceFileDependencies()
  const exported = source.getExportAssignment((e) => !e.isExportEquals())?.getExpression()
  if (!exported) fail(configFile, 'has no `export default`')
  const config = objectOf(exported!, configFile, 'its default export')
  const app = objectOf(initializerOf(config, 'app', configFile), configFile, '`app`')
  const services = arrayOf(initializerOf(app, 'services', configFile), configFile)
  const file = services.getSourceFile().getFilePath()
  const before = readFileSync(file, 'utf8')

  const { service } = change
  if (change.created) {
    services.addElement(serviceText(change))
  } else {
    const entry = services
      .getElements()
      .map((element) => objectOf(element, file, 'a service'))
      .find((object) => stringProperty(object, 'id') === service.id)
    if (!entry) fail(file, `has no service ${JSON.stringify(service.id)} to add routes to`)
    for (const route of change.addedRoutes) {
      arrayOf(initializerOf(entry!, 'routes', file), file).addElement(json(route))
    }
    for (const kind of change.addedDependencies) {
      arrayOf(initializerOf(entry!, 'dependencies', file), file).addElement(json(kind))
    }
    const annotations = objectOf(initializerOf(entry!, 'annotations', file), file, 'annotations')
    for (const [key, value] of Object.entries(change.addedAnnotations)) {
      annotations.addPropertyAssignment({ name: key, initializer: json(value) })
    }
    if (change.addedDependencies.includes('s3')) {
      entry!.addPropertyAssignment({ name: 's3Prefix', initializer: json(service.s3Prefix) })
    }
    if (change.addedDependencies.includes('opensearch')) {
      entry!.addPropertyAssignment({
        name: 'searchIndices',
        initializer: json(service.searchIndices),
      })
    }
  }
  return { file, before, after: services.getSourceFile().getFullText() }
}

function serviceText(change: ServiceChange): string {
  const { service } = change
  const lines = [
    `id: ${json(service.id)}`,
    `title: ${json(service.title)}`,
    `constructName: ${json(service.constructName)}`,
    `routes: ${json(service.routes)}`,
    `annotations: ${json(service.annotations)}`,
    `dependencies: ${json(service.dependencies)}`,
  ]
  if (service.s3Prefix !== undefined) lines.push(`s3Prefix: ${json(service.s3Prefix)}`)
  if (service.searchIndices !== undefined)
    lines.push(`searchIndices: ${json(service.searchIndices)}`)
  return `{ ${lines.join(', ')} }`
}

/** The expression under `satisfies`, `as`, parentheses, or an identifier's declaration. */
function unwrap(expression: Expression, file: string): Expression {
  let current: Node = expression
  for (let depth = 0; depth < 10; depth++) {
    if (
      Node.isSatisfiesExpression(current) ||
      Node.isAsExpression(current) ||
      Node.isParenthesizedExpression(current)
    ) {
      current = current.getExpression()
    } else if (Node.isIdentifier(current)) {
      const declaration = current
        .getDefinitionNodes()
        .find((node) => Node.isVariableDeclaration(node))
      const initializer = declaration?.asKind(SyntaxKind.VariableDeclaration)?.getInitializer()
      if (!initializer)
        fail(
          file,
          `names ${current.getText()}, whose value is not a literal in a file gen handler can edit`,
        )
      current = initializer!
    } else if (Node.isCallExpression(current) && current.getArguments().length === 1) {
      // defineConfig({ ... })
      current = current.getArguments()[0]!
    } else {
      return current as Expression
    }
  }
  return current as Expression
}

function initializerOf(object: ObjectLiteralExpression, name: string, file: string): Expression {
  const property = object.getProperty(name)
  if (Node.isPropertyAssignment(property)) return property.getInitializerOrThrow()
  if (Node.isShorthandPropertyAssignment(property)) return property.getNameNode()
  return fail(file, `has no \`${name}\` property where gen handler looks for it`)
}

function objectOf(expression: Node, file: string, what: string): ObjectLiteralExpression {
  const value = unwrap(expression as Expression, file)
  if (!Node.isObjectLiteralExpression(value)) fail(file, `${what} is not an object literal`)
  return value as ObjectLiteralExpression
}

function arrayOf(expression: Expression, file: string): ArrayLiteralExpression {
  const value = unwrap(expression, file)
  if (!Node.isArrayLiteralExpression(value))
    fail(file, `\`${expression.getText()}\` is not an array literal`)
  return value as ArrayLiteralExpression
}

function stringProperty(object: ObjectLiteralExpression, name: string): string | undefined {
  const property = object.getProperty(name)
  if (!Node.isPropertyAssignment(property)) return undefined
  const value = property.getInitializer()
  return Node.isStringLiteral(value) || Node.isNoSubstitutionTemplateLiteral(value)
    ? value.getLiteralValue()
    : undefined
}

const json = (value: unknown) => JSON.stringify(value)

function fail(file: string, problem: string): never {
  throw new ManifestError(
    `${file} ${problem}; gen handler edits the services list of the config (see README, "Create a traced function")`,
  )
}
