import type { BuildOptions } from 'esbuild'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { aws_lambda_nodejs as nodejs } from 'aws-cdk-lib'

/**
 * How every function is bundled, in one place: the CDK stack (through `NodejsFunction`) and the
 * tests and benchmarks that run the bundles (through esbuild directly) read this definition, so
 * what is tested is what is deployed.
 */
export interface FunctionBundlingDefinition {
  /** esbuild target: the Node.js of the Lambda runtime (`nodejs24.x`). */
  readonly target: string
  /** ESM, because the clients connect with top-level await. */
  readonly format: 'esm'
  readonly minify: boolean
  /**
   * A linked source map (no sources content): `index.mjs.map` beside the bundle and a
   * `//# sourceMappingURL=index.mjs.map` comment at its end, which `--enable-source-maps` (set in
   * the function's `NODE_OPTIONS`) follows so that stacks name the TypeScript files. An
   * `external` map has no such comment, so Node never finds it.
   */
  readonly sourceMap: boolean
  /** Prefer the ESM entry points of dependencies, for tree shaking. */
  readonly mainFields: readonly string[]
  /** Modules left out of the bundle: optional native add-ons that are never installed. */
  readonly external: readonly string[]
  /** Module specifier -> replacement (package name or path), resolved at bundle time. */
  readonly alias: Readonly<Record<string, string>>
  /** Code put at the top of the bundle. */
  readonly banner: string
}

/**
 * CommonJS dependencies (pg, aws-xray-sdk-core) call `require` for Node built-ins; an ESM bundle
 * has no `require`, so the bundle creates one.
 */
const REQUIRE_SHIM =
  "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);"

/** The bundling definition of every traced function. */
export const FUNCTION_BUNDLING: FunctionBundlingDefinition = {
  target: 'node24',
  format: 'esm',
  minify: true,
  sourceMap: true,
  mainFields: ['module', 'main'],
  // pg requires pg-native only when NODE_PG_FORCE_NATIVE is set; it is never installed.
  external: ['pg-native'],
  // aws-xray-sdk-core takes its context from cls-hooked, which puts async_hooks on every promise
  // of the process; the runtime's AsyncLocalStorage namespace replaces it at bundle time. An
  // absolute path: esbuild resolves alias paths from its working directory, which differs
  // between NodejsFunction (the project root) and direct builds.
  // The bare `aws-xray-sdk-core` resolves to the runtime's slim facade, which loads only the SDK
  // modules the runtime uses (the root loads every patcher and plugin).
  // An alias on a package name also redirects its subpaths; the more specific `dist` alias sends
  // the facade's own imports of the SDK's modules back to the package.
  alias: {
    'cls-hooked/context': fileURLToPath(new URL('../src/lib/tracing/context.ts', import.meta.url)),
    'aws-xray-sdk-core': fileURLToPath(new URL('../src/lib/tracing/slim-sdk.ts', import.meta.url)),
    'aws-xray-sdk-core/dist': path.join(
      path.dirname(createRequire(import.meta.url).resolve('aws-xray-sdk-core/package.json')),
      'dist',
    ),
  },
  banner: REQUIRE_SHIM,
}

/**
 * The definition as `NodejsFunction` bundling options. The AWS SDK is bundled (no
 * `@aws-sdk/*` external): the deployed code runs the SDK version the tests ran, not whatever
 * version the runtime image carries.
 *
 * @example
 * ```ts
 * new NodejsFunction(this, 'Fn', { entry, bundling: nodejsBundlingOptions() })
 * ```
 */
export function nodejsBundlingOptions(
  definition: FunctionBundlingDefinition = FUNCTION_BUNDLING,
): nodejs.BundlingOptions {
  const aliasArgs: Record<string, string> = {}
  for (const [from, to] of Object.entries(definition.alias)) aliasArgs[`--alias:${from}`] = to
  return {
    target: definition.target,
    format: nodejs.OutputFormat.ESM,
    minify: definition.minify,
    sourceMap: definition.sourceMap,
    // DEFAULT is esbuild's `--sourcemap` (linked): the map and the comment that points at it.
    sourceMapMode: nodejs.SourceMapMode.DEFAULT,
    sourcesContent: false,
    mainFields: [...definition.mainFields],
    externalModules: [...definition.external],
    banner: definition.banner,
    esbuildArgs: aliasArgs,
  }
}

/**
 * The same definition as esbuild build options, for bundling a handler outside CDK.
 *
 * @example
 * ```ts
 * await esbuild.build(esbuildOptions('src/functions/gallery.ts', 'dist/gallery/index.mjs'))
 * ```
 */
export function esbuildOptions(
  entry: string,
  outfile: string,
  definition: FunctionBundlingDefinition = FUNCTION_BUNDLING,
): BuildOptions {
  return {
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    target: definition.target,
    format: definition.format,
    minify: definition.minify,
    sourcemap: definition.sourceMap ? 'linked' : false,
    sourcesContent: false,
    mainFields: [...definition.mainFields],
    external: [...definition.external],
    alias: { ...definition.alias },
    banner: { js: definition.banner },
  }
}
