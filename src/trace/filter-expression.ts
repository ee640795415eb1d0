import { flatten } from './collector'
import { serviceMap } from './service-map'
import { duration, responseTime, type TraceView } from './trace-view'

/*
 * A subset of X-Ray's filter expressions, enough to pick traces out of a local run or an
 * export: annotation comparisons, service("name"), responsetime / duration comparisons, the
 * fault / error / throttle / ok flags, AND / OR / NOT and parentheses.
 */

/** What the subset supports; said in every parse error. */
export const SUPPORTED_FILTERS =
  'supported: annotation.<key> <op> <value>, service("<name>"), responsetime|duration <op> <seconds>, ' +
  'fault, error, throttle, ok, combined with AND / OR / NOT and parentheses (<op>: = != < <= > >=)'

/** A filter expression outside the supported subset, or malformed. */
export class FilterSyntaxError extends Error {
  override readonly name = 'FilterSyntaxError'
}

/** A compiled filter: true for the traces it keeps. */
export type TraceFilter = (trace: TraceView) => boolean

type Op = '=' | '!=' | '<' | '<=' | '>' | '>='
type Token =
  | { kind: 'word'; text: string; at: number }
  | { kind: 'string'; text: string; at: number }
  | { kind: 'number'; value: number; text: string; at: number }
  | { kind: 'op'; text: Op; at: number }
  | { kind: 'paren'; text: '(' | ')'; at: number }

const TOKEN =
  /\s*(?:(?<string>"(?:[^"\\]|\\.)*")|(?<op>!=|<=|>=|=|<|>)|(?<paren>[()])|(?<number>-?\d+(?:\.\d+)?)(?![\w.])|(?<word>[A-Za-z_][\w.]*))/y

function tokenize(expression: string): Token[] {
  const tokens: Token[] = []
  TOKEN.lastIndex = 0
  let at = 0
  while (at < expression.length) {
    if (/^\s*$/.test(expression.slice(at))) break
    TOKEN.lastIndex = at
    const match = TOKEN.exec(expression)
    if (!match?.groups) {
      throw new FilterSyntaxError(
        `filter: cannot read ${JSON.stringify(expression.slice(at).trim())}; ${SUPPORTED_FILTERS}`,
      )
    }
    const g = match.groups
    const start = match.index + match[0].length - (Object.values(g).find(Boolean)?.length ?? 0)
    if (g.string) tokens.push({ kind: 'string', text: JSON.parse(g.string) as string, at: start })
    else if (g.op) tokens.push({ kind: 'op', text: g.op as Op, at: start })
    else if (g.paren) tokens.push({ kind: 'paren', text: g.paren as '(' | ')', at: start })
    else if (g.number)
      tokens.push({ kind: 'number', value: Number(g.number), text: g.number, at: start })
    else if (g.word) tokens.push({ kind: 'word', text: g.word, at: start })
    at = TOKEN.lastIndex
  }
  return tokens
}

/**
 * Compiles a filter expression; throws {@link FilterSyntaxError} (one line, naming what is
 * supported) for anything outside the subset.
 *
 * @example
 * const keep = compileFilter('annotation.userId = "u1" AND service("Redis")')
 * traces.filter(keep)
 */
export function compileFilter(expression: string): TraceFilter {
  const tokens = tokenize(expression)
  let position = 0
  const peek = () => tokens[position]
  const isWord = (token: Token | undefined, word: string) =>
    token?.kind === 'word' && token.text.toUpperCase() === word
  const fail = (what: string): never => {
    throw new FilterSyntaxError(
      `filter: ${what} in ${JSON.stringify(expression)}; ${SUPPORTED_FILTERS}`,
    )
  }
  const describe = (token: Token | undefined) => (token ? `"${token.text}"` : 'the end')

  const parseOr = (): TraceFilter => {
    let left = parseAnd()
    while (isWord(peek(), 'OR')) {
      position += 1
      const [a, b] = [left, parseAnd()]
      left = (trace) => a(trace) || b(trace)
    }
    return left
  }
  const parseAnd = (): TraceFilter => {
    let left = parseNot()
    while (isWord(peek(), 'AND')) {
      position += 1
      const [a, b] = [left, parseNot()]
      left = (trace) => a(trace) && b(trace)
    }
    return left
  }
  const parseNot = (): TraceFilter => {
    if (isWord(peek(), 'NOT')) {
      position += 1
      const inner = parseNot()
      return (trace) => !inner(trace)
    }
    return parseTerm()
  }
  const parseTerm = (): TraceFilter => {
    const token = peek()
    if (!token) return fail('an expression is missing at the end')
    position += 1
    if (token.kind === 'paren' && token.text === '(') {
      const inner = parseOr()
      const close = peek()
      if (close?.kind !== 'paren' || close.text !== ')')
        fail(`expected ")" but found ${describe(close)}`)
      position += 1
      return inner
    }
    if (token.kind !== 'word') return fail(`unexpected ${describe(token)}`)
    const word = token.text.toLowerCase()
    if (word.startsWith('annotation.')) {
      const key = token.text.slice('annotation.'.length)
      if (!/^\w+$/.test(key)) fail(`annotation key "${key}" is not letters, digits and _`)
      const op = expectOp()
      const value = expectValue()
      return (trace) => annotationValues(trace, key).some((actual) => compare(actual, op, value))
    }
    if (word === 'service') {
      const open = peek()
      if (open?.kind !== 'paren' || open.text !== '(') fail('service needs ("<name>")')
      position += 1
      const name = peek()
      if (name?.kind !== 'string') return fail('service needs a quoted name: service("Redis")')
      position += 1
      const close = peek()
      if (close?.kind !== 'paren' || close.text !== ')')
        fail(`expected ")" after service("${name.text}"`)
      position += 1
      return (trace) => serviceMap([trace]).nodes.some((node) => node.name === name.text)
    }
    if (word === 'responsetime' || word === 'duration') {
      const op = expectOp()
      const value = expectValue()
      if (typeof value !== 'number') fail(`${word} compares with a number of seconds`)
      const measure = word === 'duration' ? duration : responseTime
      return (trace) => compare(measure(trace), op, value)
    }
    if (word === 'fault' || word === 'error' || word === 'throttle') {
      return (trace) => entities(trace).some((e) => e[word] === true)
    }
    if (word === 'ok') {
      return (trace) => !entities(trace).some((e) => e.fault || e.error || e.throttle)
    }
    return fail(`"${token.text}" is not supported`)
  }
  const expectOp = (): Op => {
    const token = peek()
    if (token?.kind !== 'op')
      return fail(`expected a comparison (= != < <= > >=) but found ${describe(token)}`)
    position += 1
    return token.text
  }
  const expectValue = (): string | number | boolean => {
    const token = peek()
    position += 1
    if (token?.kind === 'string') return token.text
    if (token?.kind === 'number') return token.value
    if (token?.kind === 'word' && /^(true|false)$/i.test(token.text))
      return token.text.toLowerCase() === 'true'
    return fail(`expected a value ("text", a number, true or false) but found ${describe(token)}`)
  }

  if (tokens.length === 0) fail('the expression is empty')
  const filter = parseOr()
  if (position < tokens.length) fail(`unexpected ${describe(peek())}`)
  return filter
}

function entities(trace: TraceView) {
  return flatten(trace.documents).map((e) => e.entity)
}

function annotationValues(trace: TraceView, key: string) {
  return entities(trace).flatMap((e) =>
    e.annotations && key in e.annotations ? [e.annotations[key]!] : [],
  )
}

function compare(
  actual: string | number | boolean,
  op: Op,
  expected: string | number | boolean,
): boolean {
  if (op === '=') return actual === expected
  if (op === '!=') return actual !== expected
  if (typeof actual !== typeof expected || typeof actual === 'boolean') return false
  const [a, b] = [actual as number | string, expected as number | string]
  if (op === '<') return a < b
  if (op === '<=') return a <= b
  if (op === '>') return a > b
  return a >= b
}
