import path from 'node:path'
import { Node, type Project, type SourceFile } from 'ts-morph'

/**
 * The SQL table behind a Drizzle table variable: `mocInstructions` imported from `../lib/db/schema`
 * where `export const mocInstructions = pgTable('moc_instructions', ...)` → `moc_instructions`.
 * Read from the syntax of the schema file (no type checker: Drizzle's types are too heavy to load
 * for a codemod). Falls back to the variable's name.
 */
export function tableName(project: Project, file: SourceFile, name: string): string {
  const declarationFile = declaringFile(project, file, name)
  const initializer = declarationFile?.getVariableDeclaration(name)?.getInitializer()
  if (Node.isCallExpression(initializer)) {
    const first = initializer.getArguments()[0]
    if (Node.isStringLiteral(first) || Node.isNoSubstitutionTemplateLiteral(first)) {
      return first.getLiteralText()
    }
  }
  return name
}

function declaringFile(project: Project, file: SourceFile, name: string): SourceFile | undefined {
  if (file.getVariableDeclaration(name)) return file
  for (const declaration of file.getImportDeclarations()) {
    if (!declaration.getNamedImports().some((named) => named.getName() === name)) continue
    const specifier = declaration.getModuleSpecifierValue()
    if (!specifier.startsWith('.')) return undefined
    const base = path.resolve(file.getDirectoryPath(), specifier)
    return project.getSourceFile(`${base}.ts`) ?? project.getSourceFile(path.join(base, 'index.ts'))
  }
  return undefined
}
