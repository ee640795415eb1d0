import type { SourceFile } from 'ts-morph'
import type { DependencyKind, DependencySpec } from '../manifest'
import { fileClients, type ClientBinding } from './client-bindings'

/**
 * Local names in a handler file that are dependency clients, found from its imports as the
 * codemod finds them in any repository (see {@link fileClients}): `db` imported from
 * `../lib/db/client`, which builds it with `drizzle(new Pool())`, is the Postgres client. Only
 * the kinds the app's manifest declares are kept: the manifest gives their labels.
 */
export function dependencyBindings(
  file: SourceFile,
  dependencies: readonly DependencySpec[],
): Map<string, DependencyKind> {
  const declared = new Set(dependencies.map((d) => d.kind))
  const bindings = new Map<string, DependencyKind>()
  for (const [name, binding] of fileClients(file, file.getProject()).bindings) {
    const kind = dependencyKind(binding)
    if (kind && declared.has(kind)) bindings.set(name, kind)
  }
  return bindings
}

/** The manifest's dependency kind of a client the imports revealed. */
function dependencyKind(binding: ClientBinding): DependencyKind | undefined {
  switch (binding.kind) {
    case 'postgres':
    case 'drizzle':
      return 'postgres'
    case 'redis':
    case 'ioredis':
      return 'redis'
    case 'opensearch':
      return 'opensearch'
    case 'aws':
      return binding.awsService === 'S3' ? 's3' : undefined
    default:
      return undefined
  }
}
