import type { AddedInstructions, InstructionResults } from './instructions'

/**
 * The instruction study as a Markdown table: per variant, the instructions a sampled and an
 * unsampled MOC GET and the module's init add over the untraced fixture, as a ratio to the SDK
 * used directly, with the spread of the repeats, and the bytes each invocation allocates over
 * the fixture's (what the young generation's collections cost in proportion to).
 *
 * @example
 * console.log(instructionTable(results))
 */
export function instructionTable(results: InstructionResults): string {
  const header = [
    'Variant',
    'sampled: added / invocation',
    'unsampled: added / invocation',
    'init added',
    'allocated: added / sampled, unsampled invocation',
    'entities sent (per repeat)',
  ]
  const base = results.variants.find((v) => v.variant === 'untraced')!
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length
  const absolute = (key: 'sampled' | 'unsampled' | 'init') =>
    `${millions(mean(base.samples.map((s) => s[key])))} in all`
  const allocated = (key: 'sampledBytes' | 'unsampledBytes') =>
    kilobytes(mean(base.samples.map((s) => s[key])))
  const rows = [
    [
      `${base.label} (its own count)`,
      absolute('sampled'),
      absolute('unsampled'),
      absolute('init'),
      `${allocated('sampledBytes')}, ${allocated('unsampledBytes')} in all`,
      '—',
    ],
    ...results.variants
      .filter((v) => v.added)
      .map((v) => [
        v.label,
        cell(v.added!.sampled),
        cell(v.added!.unsampled),
        cell(v.added!.init),
        `${bytesCell(v.added!.sampledBytes)}, ${bytesCell(v.added!.unsampledBytes)}`,
        v.samples.map((s) => s.entitiesSent).join(', '),
      ]),
  ]
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n')
}

/** `+232 k (0.085×, spread 1.2 %)`: the mean, its ratio to the SDK's, the repeats' spread. */
function cell(figure: AddedInstructions): string {
  const sign = figure.mean >= 0 ? '+' : '−'
  return `${sign}${millions(Math.abs(figure.mean))} (${ratio(figure.ratioToSdk)}, spread ${figure.spreadPct.toFixed(1)} %)`
}

/** `+35 kB (0.17×)`: bytes added, and their ratio to the SDK's. */
function bytesCell(figure: AddedInstructions): string {
  const sign = figure.mean >= 0 ? '+' : '−'
  return `${sign}${kilobytes(Math.abs(figure.mean))} (${ratio(figure.ratioToSdk)})`
}

function kilobytes(value: number): string {
  return `${Math.round(value / 1024)} kB`
}

/** `0.09×`, or with one more digit below 0.1×. */
function ratio(value: number): string {
  return `${value.toFixed(Math.abs(value) < 0.1 ? 3 : 2)}×`
}

/** `65.1 M`, `2.71 M`, or below a million in thousands: `232 k`, `5.6 k`. */
function millions(value: number): string {
  if (value >= 1e6) return `${(value / 1e6).toFixed(value < 10e6 ? 2 : 1)} M`
  return `${(value / 1e3).toFixed(value < 10e3 ? 1 : 0)} k`
}
