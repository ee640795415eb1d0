import { Node, type Project, type SourceFile } from 'ts-morph'
import type { DependencyKind } from '../manifest'
import { chainCalls, chainProperties, isPure, objectProperty, titleWords } from './syntax'
import { tableName } from './table-name'

/** A business subsegment to open around one dependency call. */
export interface SubsegmentPlan {
  readonly name: string
  /** Annotation key → TypeScript expression text. */
  readonly annotations: ReadonlyArray<readonly [string, string]>
  /** Metadata key → TypeScript expression text. */
  readonly metadata: ReadonlyArray<readonly [string, string]>
}

const quote = (text: string) => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`

const sqlVerbs: Record<string, string> = {
  select: 'SELECT',
  selectDistinct: 'SELECT',
  insert: 'INSERT',
  update: 'UPDATE',
  delete: 'DELETE',
  execute: 'EXECUTE',
  transaction: 'TRANSACTION',
  query: 'QUERY',
}

const cacheVerbs: Record<string, string> = {
  get: 'Get',
  set: 'Set',
  del: 'Delete',
  mGet: 'Get Many',
}

/**
 * Names and labels the business subsegment of one dependency call from what the code says:
 * the Drizzle verb and table, the Redis command, the S3 command and bucket, the OpenSearch
 * operation and index. Expressions are copied only when evaluating them twice is harmless.
 */
export function describeCall(
  project: Project,
  file: SourceFile,
  call: Node,
  kind: DependencyKind,
  label: string,
): SubsegmentPlan {
  const calls = chainCalls(call)
  const first = calls[0]
  switch (kind) {
    case 'postgres':
      return describeSql(project, file, call, calls, label)
    case 'redis': {
      const key = first?.args[0]
      return {
        name: `${label} - ${cacheVerbs[first?.method ?? ''] ?? titleWords(first?.method ?? 'Command')} Cache`,
        annotations: [['operation', quote((first?.method ?? 'command').toUpperCase())]],
        metadata: key && isPure(key) ? [['key', key.getText()]] : [],
      }
    }
    case 's3':
      return describeS3(call, label)
    case 'opensearch': {
      const params = first?.args[0]
      const index = objectProperty(params, 'index')
      const method = first?.method ?? 'request'
      const indexName =
        Node.isStringLiteral(index) || Node.isNoSubstitutionTemplateLiteral(index)
          ? ` ${index.getLiteralText()}`
          : ''
      return {
        name: `${label} - ${titleWords(method)}${indexName}`,
        annotations: [
          ['operation', quote(method)],
          ...(index && isPure(index) ? [['index', index.getText()] as const] : []),
        ],
        metadata: [],
      }
    }
  }
}

function describeSql(
  project: Project,
  file: SourceFile,
  call: Node,
  calls: { method: string; args: Node[] }[],
  label: string,
): SubsegmentPlan {
  const properties = chainProperties(call)
  // Relational queries: db.query.<table>.findFirst(...)
  if (properties[0] === 'query' && properties.length >= 3) {
    const table = tableName(project, file, properties[1]!)
    return sqlPlan(label, 'SELECT', table)
  }
  const verb = sqlVerbs[calls[0]?.method ?? ''] ?? (calls[0]?.method ?? 'query').toUpperCase()
  const tableArg =
    verb === 'SELECT' ? calls.find((c) => c.method === 'from')?.args[0] : calls[0]?.args[0]
  const table = Node.isIdentifier(tableArg)
    ? tableName(project, file, tableArg.getText())
    : undefined
  return sqlPlan(label, verb, table)
}

function sqlPlan(label: string, verb: string, table: string | undefined): SubsegmentPlan {
  return {
    name: table ? `${label} - ${verb} ${table}` : `${label} - ${verb}`,
    annotations: [['operation', quote(verb)], ...(table ? [['table', quote(table)] as const] : [])],
    metadata: [],
  }
}

function describeS3(call: Node, label: string): SubsegmentPlan {
  const args = Node.isCallExpression(call) ? call.getArguments() : []
  const command = args.find((arg) => Node.isNewExpression(arg))
  const commandName = Node.isNewExpression(command)
    ? command
        .getExpression()
        .getText()
        .replace(/Command$/, '')
    : 'Request'
  const input = Node.isNewExpression(command) ? command.getArguments()[0] : undefined
  const bucket = objectProperty(input, 'Bucket')
  const key = objectProperty(input, 'Key')
  const callee = Node.isCallExpression(call) ? call.getExpression().getText() : ''
  const presign = callee === 'getSignedUrl'
  return {
    name: presign ? `${label} - Generate Presigned URL` : `${label} - ${titleWords(commandName)}`,
    annotations: [
      ['operation', quote(presign ? 'getSignedUrl' : commandName)],
      ...(bucket && isPure(bucket) ? [['bucket', bucket.getText()] as const] : []),
    ],
    metadata: key && isPure(key) ? [['key', key.getText()]] : [],
  }
}
