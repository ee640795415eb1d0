import path from 'node:path'
import { Node, type Project, type SourceFile } from 'ts-morph'

/**
 * The SQL table behind a Drizzle table variable: `mocInstructions` imported from `../lib/db/schema`
 * where `export const mocInstructions = pgTable('moc_instructions', ...)` → `moc_instructions`.
 * Read from the syntax of the schema file (no type checker: Drizzle's types are too heavy to load
 * for a codemod). Falls back to the variable's name.
 */
export function tableName(project: Project, file: SourceFile, name: string): string {
  const declaration = declaringFile(project, file, name)
  const initializer = declaration?.file.getVariableDeclaration(declaration.name)?.getInitializer()
  if (Node.isCallExpression(initializer)) {
    const first = initializer.getArguments()[0]
    if (Node.isStringLiteral(first) || Node.isNoSubstitutionTemplateLiteral(first)) {
      return first.getLiteralText()
    }
  }
  return name
}

/**
 * The file declaring the table `name` refers to, and the table's name there: a local name
 * (`mocs` of `mocInstructions as mocs`, in `.from(mocs)`) or an exported one (`db.query.<name>`).
 */
function declaringFile(
  project: Project,
  file: SourceFile,
  name: string,
): { file: SourceFile; name: string } | undefined {
  if (file.getVariableDeclaration(name)) return { file, name }
  for (const declaration of file.getImportDeclarations()) {
    const named = declaration
      .getNamedImports()
      .find((n) => (n.getAliasNode()?.getText() ?? n.getName()) === name || n.getName() === name)
    if (!named) continue
    const specifier = declaration.getModuleSpecifierValue()
    if (!specifier.startsWith('.')) return undefined
    const base = path.resolve(file.getDirectoryPath(), specifier)
    const target =
      project.getSourceFile(`${base}.ts`) ?? project.getSourceFile(path.join(base, 'index.ts'))
    return target && { file: target, name: named.getName() }
  }
  return undefined
}
