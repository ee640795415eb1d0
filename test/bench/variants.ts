/** A way of tracing the lego-api that the benchmark compares. */
export interface Variant {
  name: 'untraced' | 'raw-sdk' | 'powertools' | 'ours'
  label: string
  /** The MOC instructions handler (GET /api/mocs/{id}) of this variant. */
  mocHandler: string
  /** The promise-heavy handler of this variant. */
  promiseTaxHandler: string
  /**
   * Whether the bundle uses the deployed bundling definition's aliases (cls-hooked/context to the
   * runtime's AsyncLocalStorage namespace, aws-xray-sdk-core to its slim facade).
   */
  asDeployed: boolean
}

export const VARIANTS: readonly Variant[] = [
  {
    name: 'untraced',
    label: 'untraced fixture',
    mocHandler: 'test/fixtures/lego-api/src/functions/moc-instructions.ts',
    promiseTaxHandler: 'test/bench/handlers/promise-tax-untraced.ts',
    asDeployed: false,
  },
  {
    name: 'raw-sdk',
    label: 'aws-xray-sdk-core, story-style',
    mocHandler: 'test/bench/handlers/moc-get-raw-sdk.ts',
    promiseTaxHandler: 'test/bench/handlers/promise-tax-raw-sdk.ts',
    asDeployed: false,
  },
  {
    name: 'powertools',
    label: 'Powertools Tracer',
    mocHandler: 'test/bench/handlers/moc-get-powertools.ts',
    promiseTaxHandler: 'test/bench/handlers/promise-tax-powertools.ts',
    asDeployed: false,
  },
  {
    name: 'ours',
    label: 'generated runtime (xray-scaffold)',
    mocHandler: 'generated/lego-api/src/functions/moc-instructions.ts',
    promiseTaxHandler: 'test/bench/handlers/promise-tax-ours.ts',
    asDeployed: true,
  },
]
