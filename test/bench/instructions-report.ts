import type { AddedInstructions, InstructionResults } from './instructions'

/**
 * The instruction study as a Markdown table: per variant, the instructions a sampled and an
 * unsampled MOC GET and the module's init add over the untraced fixture, as a ratio to the SDK
 * used directly, with the spread of the repeats.
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
    'entities sent (per repeat)',
  ]
  const base = results.variants.find((v) => v.variant === 'untraced')!
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length
  const absolute = (key: 'sampled' | 'unsampled' | 'init') =>
    `${millions(mean(base.samples.map((s) => s[key])))} in all`
  const rows = [
    [
      `${base.label} (its own count)`,
      absolute('sampled'),
      absolute('unsampled'),
      absolute('init'),
      '—',
    ],
    ...results.variants
      .filter((v) => v.added)
      .map((v) => [
        v.label,
        cell(v.added!.sampled),
        cell(v.added!.unsampled),
        cell(v.added!.init),
        v.samples.map((s) => s.entitiesSent).join(', '),
      ]),
  ]
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n')
}

/** `+0.79 M (0.20×, ±1.2 %)`: the mean, its ratio to the SDK's, the repeats' spread. */
function cell(figure: AddedInstructions): string {
  const sign = figure.mean >= 0 ? '+' : '−'
  return `${sign}${millions(Math.abs(figure.mean))} (${figure.ratioToSdk.toFixed(2)}×, spread ${figure.spreadPct.toFixed(1)} %)`
}

function millions(value: number): string {
  return `${(value / 1e6).toFixed(value < 10e6 ? 2 : 1)} M`
}
