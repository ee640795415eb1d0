import path from 'node:path'
import type { SourceFile } from 'ts-morph'
import type { DependencyKind, DependencySpec } from '../manifest'

/**
 * Local names in a handler file that are dependency clients, found from its imports: `db` imported
 * from `../lib/db/client` is the Postgres client when the manifest says that module exports `db`.
 *
 * @param srcDir the app's `src/` folder, against which the manifest's module paths are resolved
 */
export function dependencyBindings(
  file: SourceFile,
  srcDir: string,
  dependencies: readonly DependencySpec[],
): Map<string, DependencyKind> {
  const bindings = new Map<string, DependencyKind>()
  for (const declaration of file.getImportDeclarations()) {
    const specifier = declaration.getModuleSpecifierValue()
    if (!specifier.startsWith('.')) continue
    const target = path.relative(srcDir, path.resolve(file.getDirectoryPath(), specifier))
    const dependency = dependencies.find((d) => d.module === target.split(path.sep).join('/'))
    if (!dependency) continue
    for (const named of declaration.getNamedImports()) {
      if (!dependency.exports.includes(named.getName())) continue
      bindings.set(named.getAliasNode()?.getText() ?? named.getName(), dependency.kind)
    }
  }
  return bindings
}
