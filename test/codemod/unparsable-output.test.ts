import { describe, expect, it } from 'vitest'
import { rewriteThatDoesNotParse } from '../../src/codemods/retrofit-source'

// No input found so far makes the codemod write a broken file; this pins the guard every
// rewritten text passes through before it can be written (retrofitSource returns the original
// text with status 'failed' and this reason, and the CLI writes only files that changed).
describe('the check every rewritten file passes before it is written', () => {
  it('refuses a rewrite with a syntax error, naming the line and the error', () => {
    const reason = rewriteThatDoesNotParse(
      'export const handler = withTracing({}, async () => {\n  return 1\n',
      'src/orders.ts',
    )
    expect(reason).toBe(
      "the rewritten file would not parse (line 3: '}' expected.); left as it was",
    )
  })

  it('parses a file as the language its extension says', () => {
    expect(rewriteThatDoesNotParse('const x: number = 1\n', 'src/a.ts')).toBeUndefined()
    expect(rewriteThatDoesNotParse('const el = <div />\n', 'src/a.tsx')).toBeUndefined()
    expect(rewriteThatDoesNotParse('const el = <div />\n', 'src/a.ts')).toMatch(/would not parse/)
  })

  it('lets a rewrite that parses through', () => {
    expect(
      rewriteThatDoesNotParse(
        "exports.handler = withTracing({ service: 'a' }, async () => 1)\n",
        'a.cjs',
      ),
    ).toBeUndefined()
  })
})
