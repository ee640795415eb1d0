import { Node, type CallExpression, type Project, type SourceFile } from 'ts-morph'
import type { ClientBinding } from './client-bindings'
import { kindLabel } from './client-modules'
import { describeCall, type SubsegmentPlan } from './describe-call'
import { chainCalls, chainProperties, isPure, objectProperty, titleWords } from './syntax'

const quote = (text: string) => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`

/** Input fields of an AWS command that name the resource: recorded as annotations. */
const AWS_RESOURCES: ReadonlyArray<readonly [string, string]> = [
  ['TableName', 'table'],
  ['Bucket', 'bucket'],
  ['IndexName', 'index'],
  ['QueueUrl', 'queue'],
  ['TopicArn', 'topic'],
  ['FunctionName', 'function'],
  ['StreamName', 'stream'],
]

/**
 * Names and labels the business subsegment of one call on a client found by its imports: the
 * SQL verb and table (from the statement text or the builder chain), the Redis command, the AWS
 * command and its table / bucket, the search operation and index, the HTTP method and host.
 * Values are copied only when evaluating them twice is harmless; parameter values, URLs and
 * bodies never are.
 */
export function describeClientCall(
  project: Project,
  file: SourceFile,
  call: CallExpression,
  binding: ClientBinding,
): SubsegmentPlan {
  const label = kindLabel(binding.kind, binding.awsService)
  const calls = chainCalls(call)
  switch (binding.kind) {
    case 'drizzle':
      return describeCall(project, file, call, 'postgres', label)
    case 'redis':
    case 'ioredis':
      return describeCall(project, file, call, 'redis', label)
    case 'opensearch':
    case 'elasticsearch':
      return describeCall(project, file, call, 'opensearch', label)
    case 'postgres':
      return sqlPlan(label, sqlText(calls[0]?.args[0]))
    case 'knex':
      return describeKnex(label, calls)
    case 'prisma':
      return describePrisma(label, call, calls)
    case 'aws':
      return describeAws(label, call)
    case 'aws-v2':
      return describeAwsV2(label, calls)
    case 'fetch':
    case 'axios':
      return describeHttp(label, calls)
  }
}

/** `SELECT … FROM orders`, `INSERT INTO orders`, `UPDATE orders`, `DELETE FROM orders`. */
const SQL =
  /^\s*(select|insert|update|delete|with)\b[\s\S]*?\b(?:from|into|update)\s+["`]?([\w.]+)/i
const VERB = /^\s*(\w+)/

function sqlText(arg: Node | undefined): { verb: string; table?: string } {
  const text = Node.isObjectLiteralExpression(arg) ? objectProperty(arg, 'text') : arg
  if (!text || !(Node.isStringLiteral(text) || Node.isNoSubstitutionTemplateLiteral(text)))
    return { verb: 'QUERY' }
  const literal = text.getLiteralText()
  const update = /^\s*update\s+["`]?([\w.]+)/i.exec(literal)
  if (update) return { verb: 'UPDATE', table: update[1]! }
  const match = SQL.exec(literal)
  if (match) {
    const verb = match[1]!.toUpperCase()
    return { verb: verb === 'WITH' ? 'SELECT' : verb, table: match[2]! }
  }
  return { verb: (VERB.exec(literal)?.[1] ?? 'query').toUpperCase() }
}

function sqlPlan(label: string, { verb, table }: { verb: string; table?: string }): SubsegmentPlan {
  return {
    name: table ? `${label} - ${verb} ${table}` : `${label} - ${verb}`,
    annotations: [['operation', quote(verb)], ...(table ? [['table', quote(table)] as const] : [])],
    metadata: [],
  }
}

const KNEX_VERBS: Record<string, string> = {
  insert: 'INSERT',
  update: 'UPDATE',
  del: 'DELETE',
  delete: 'DELETE',
  upsert: 'UPSERT',
}

function describeKnex(label: string, calls: { method: string; args: Node[] }[]): SubsegmentPlan {
  const raw = calls.find((c) => c.method === 'raw')
  if (raw) return sqlPlan(label, sqlText(raw.args[0]))
  const tableArg =
    calls[0]?.method === 'table' || calls[0]?.method === 'from' || calls.length > 0
      ? calls[0]?.args[0]
      : undefined
  const table = literalText(tableArg)
  const verb = calls.map((c) => KNEX_VERBS[c.method]).find(Boolean) ?? 'SELECT'
  return sqlPlan(label, { verb, ...(table ? { table } : {}) })
}

function describePrisma(
  label: string,
  call: CallExpression,
  calls: { method: string; args: Node[] }[],
): SubsegmentPlan {
  const method = calls.at(-1)?.method ?? 'query'
  const model = chainProperties(call).find((name) => !name.startsWith('$') && name !== method)
  const verb = /^find|^count|^aggregate|^groupBy/.test(method)
    ? 'SELECT'
    : /^create/.test(method)
      ? 'INSERT'
      : /^update/.test(method)
        ? 'UPDATE'
        : /^delete/.test(method)
          ? 'DELETE'
          : /^upsert/.test(method)
            ? 'UPSERT'
            : 'QUERY'
  return {
    name: model ? `${label} - ${verb} ${model}` : `${label} - ${verb}`,
    annotations: [
      ['operation', quote(method)],
      ...(model ? [['table', quote(model)] as const] : []),
    ],
    metadata: [],
  }
}

function describeAws(label: string, call: CallExpression): SubsegmentPlan {
  const args = call.getArguments()
  const callee = call.getExpression().getText()
  if (callee === 'getSignedUrl' || callee.endsWith('.getSignedUrl')) {
    const command = args.find((arg) => Node.isNewExpression(arg))
    const input = Node.isNewExpression(command) ? command.getArguments()[0] : undefined
    return {
      name: `${label} - Generate Presigned URL`,
      annotations: [['operation', quote('getSignedUrl')], ...resources(input)],
      metadata: pureMetadata(input, 'Key', 'key'),
    }
  }
  const command = args[0]
  const commandName = Node.isNewExpression(command)
    ? command
        .getExpression()
        .getText()
        .replace(/^.*\./, '')
        .replace(/Command$/, '')
    : 'Request'
  const input = Node.isNewExpression(command) ? command.getArguments()[0] : undefined
  return {
    name: `${label} - ${titleWords(commandName)}`,
    annotations: [['operation', quote(commandName)], ...resources(input)],
    metadata: pureMetadata(input, 'Key', 'key').filter(([, value]) => !value.startsWith('{')),
  }
}

function describeAwsV2(label: string, calls: { method: string; args: Node[] }[]): SubsegmentPlan {
  const operation = calls[0]?.method ?? 'request'
  const input = calls[0]?.args[0]
  return {
    name: `${label} - ${titleWords(operation)}`,
    annotations: [['operation', quote(operation)], ...resources(input)],
    metadata: pureMetadata(input, 'Key', 'key').filter(([, value]) => !value.startsWith('{')),
  }
}

function resources(input: Node | undefined): (readonly [string, string])[] {
  const found: (readonly [string, string])[] = []
  for (const [field, annotation] of AWS_RESOURCES) {
    const value = objectProperty(input, field)
    if (value && isPure(value)) found.push([annotation, value.getText()])
  }
  return found
}

function pureMetadata(input: Node | undefined, field: string, key: string): [string, string][] {
  const value = objectProperty(input, field)
  return value && isPure(value) ? [[key, value.getText()]] : []
}

const HTTP_METHODS = new Set(['get', 'delete', 'head', 'options', 'post', 'put', 'patch'])

function describeHttp(label: string, calls: { method: string; args: Node[] }[]): SubsegmentPlan {
  const first = calls[0]
  const shortcut = first && HTTP_METHODS.has(first.method) ? first.method.toUpperCase() : undefined
  const [target, options] = first?.args ?? []
  const config = Node.isObjectLiteralExpression(target) ? target : options
  const methodNode = objectProperty(config, 'method')
  const method = shortcut ?? (literalText(methodNode)?.toUpperCase() || 'GET')
  const url = Node.isObjectLiteralExpression(target) ? objectProperty(target, 'url') : target
  const host = hostOf(url)
  return {
    name: host ? `${label} - ${method} ${host}` : `${label} - ${method}`,
    annotations: [['operation', quote(method)], ...(host ? [['host', quote(host)] as const] : [])],
    metadata: [],
  }
}

/** The host of a URL written as a literal or a template starting with one. */
function hostOf(url: Node | undefined): string | undefined {
  let text: string | undefined
  if (Node.isStringLiteral(url) || Node.isNoSubstitutionTemplateLiteral(url))
    text = url.getLiteralText()
  else if (Node.isTemplateExpression(url)) text = url.getHead().getLiteralText()
  const match = text && /^https?:\/\/([^/:?#]+)/.exec(text)
  return match ? match[1] : undefined
}

function literalText(node: Node | undefined): string | undefined {
  return Node.isStringLiteral(node) || Node.isNoSubstitutionTemplateLiteral(node)
    ? node.getLiteralText()
    : undefined
}
