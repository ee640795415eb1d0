import { readFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Plugin } from 'esbuild'
import {
  bundleFunction,
  NODE_24,
  removeBundle,
  type FunctionBundle,
} from '../support/lambda-process'
import { BENCH_DATABASE, seedMocs } from './bench-database'
import { startBenchServers } from './bench-servers'
import { measureInvocations, mocsNeeded, type InvocationOptions } from './measure-invocations'
import { median, round } from './statistics'
import { VARIANTS } from './variants'

/*
 * Where the generated runtime's overhead goes: the MOC function bundled as deployed, and again
 * with one piece of tracing taken out at a time, measured side by side on Node 24. The pieces are
 * taken out by editing the generated sources as they are bundled (never on disk); an edit whose
 * text is no longer in its file fails the run, so the study cannot silently measure nothing.
 */

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url))

interface SourceEdit {
  /** Path from the repository root. */
  file: string
  find: string
  replace: string
}

/** One piece of tracing taken out of the generated MOC function. */
export interface Ablation {
  name: string
  label: string
  edits: readonly SourceEdit[]
}

export const ABLATIONS: readonly Ablation[] = [
  {
    name: 'no-redis-capture',
    label: 'without the Redis capture (node-redis channel)',
    edits: [
      {
        file: 'generated/lego-api/src/lib/cache/redis.ts',
        find: 'export const redis = captureRedis(',
        replace: 'export const redis = ((client: unknown, _name: string) => client)(',
      },
    ],
  },
  {
    name: 'no-pg-capture',
    label: 'without the Postgres capture',
    edits: [
      {
        file: 'generated/lego-api/src/lib/db/client.ts',
        find: 'capturePostgres(pg)',
        replace: 'void capturePostgres',
      },
    ],
  },
  {
    name: 'no-aws-capture',
    label: 'without the S3 (AWS SDK) capture',
    edits: [
      {
        file: 'generated/lego-api/src/lib/storage/s3.ts',
        find: 'export const s3 = captureAWSv3Client(',
        replace: 'void captureAWSv3Client\nexport const s3 = (',
      },
    ],
  },
  {
    name: 'no-document',
    label: 'without serialising and sending the document',
    edits: [
      {
        file: 'generated/lego-api/src/lib/tracing/invocation-document.ts',
        find: '    send(subsegment)\n',
        replace: '',
      },
    ],
  },
]

/** An esbuild plugin applying `edits` to the files they name as they are loaded. */
function sourceEdits(name: string, edits: readonly SourceEdit[]): Plugin {
  const byFile = new Map(edits.map((edit) => [path.join(REPO_ROOT, edit.file), edit]))
  return {
    name: `ablation-${name}`,
    setup(build) {
      build.onLoad({ filter: /\.ts$/ }, async (args) => {
        const edit = byFile.get(args.path)
        if (!edit) return undefined
        const source = await readFile(args.path, 'utf8')
        if (!source.includes(edit.find)) {
          throw new Error(
            `ablation ${name}: ${edit.file} no longer contains ${JSON.stringify(edit.find)}; update test/bench/ablations.ts`,
          )
        }
        return { contents: source.replace(edit.find, edit.replace), loader: 'ts' }
      })
    },
  }
}

export interface AblationRow {
  name: string
  label: string
  /** Median MOC GET handler time minus the untraced fixture's, ms. */
  overheadMs: { sampled: number; unsampled: number }
  /** What taking the piece out saved against the full runtime, ms. */
  savedMs: { sampled: number; unsampled: number }
  /** Segments and subsegments one sampled invocation sent. */
  subsegmentsSent: number
}

export interface AblationResults {
  date: string
  node: string
  options: InvocationOptions
  durationS: number
  rows: AblationRow[]
}

/** Runs the ablation study on Node 24; `log` receives progress lines. */
export async function runAblations(
  options: InvocationOptions,
  log: (line: string) => void = () => undefined,
): Promise<AblationResults> {
  const started = Date.now()
  const untraced = VARIANTS.find((variant) => variant.name === 'untraced')!
  const ours = VARIANTS.find((variant) => variant.name === 'ours')!
  log('bundling the MOC function, as deployed and with each piece taken out')
  const bundles: Array<{ name: string; label: string; bundle: FunctionBundle }> = [
    {
      name: untraced.name,
      label: untraced.label,
      bundle: await bundleFunction(untraced.mocHandler, { name: 'moc-instructions', alias: {} }),
    },
    {
      name: ours.name,
      label: ours.label,
      bundle: await bundleFunction(ours.mocHandler, { name: 'moc-instructions' }),
    },
  ]
  for (const ablation of ABLATIONS) {
    bundles.push({
      name: ablation.name,
      label: ablation.label,
      bundle: await bundleFunction(ours.mocHandler, {
        name: 'moc-instructions',
        plugins: [sourceEdits(ablation.name, ablation.edits)],
      }),
    })
  }
  const count = mocsNeeded(bundles.length, options)
  log(`seeding ${count} MOCs in ${BENCH_DATABASE.database}`)
  const ids = await seedMocs(count)
  const servers = await startBenchServers()
  try {
    log('Node 24: MOC GET invocations')
    const samples = await measureInvocations(
      bundles.map(({ name, bundle }) => ({ name, bundle: bundle.file })),
      NODE_24,
      servers.env,
      ids,
      servers.collector,
      options,
    )
    const base = median([...samples[0]!.sampled, ...samples[0]!.unsampled])
    const full = samples[1]!
    const rows = bundles.slice(1).map(({ name, label }, offset) => {
      const own = samples[offset + 1]!
      return {
        name,
        label,
        overheadMs: {
          sampled: round(median(own.sampled) - base),
          unsampled: round(median(own.unsampled) - base),
        },
        savedMs: {
          sampled: round(median(full.sampled) - median(own.sampled)),
          unsampled: round(median(full.unsampled) - median(own.unsampled)),
        },
        subsegmentsSent: own.subsegmentsSent,
      }
    })
    return {
      date: new Date().toISOString(),
      node: `${samples.version} on ${os.cpus().length} cores`,
      options,
      durationS: round((Date.now() - started) / 1000, 1),
      rows,
    }
  } finally {
    await servers.close()
    await Promise.all(bundles.map(({ bundle }) => removeBundle(bundle)))
  }
}
