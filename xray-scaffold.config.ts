import type { XrayScaffoldConfig } from './src/manifest'
import { legoApi } from './src/manifest/lego-api'

/**
 * The config of this repository: the lego-api, generated into its own folder with a package.json
 * and tsconfig.json of its own (the `app` group), its handlers retrofitted by the codemod from the
 * untraced copy under test/fixtures. `gen handler` adds services to the manifest in
 * src/manifest/lego-api.ts, where the other tools read it too.
 */
export default {
  app: legoApi,
  outDir: 'generated/lego-api',
  groups: ['runtime', 'clients', 'infra', 'app'],
  retrofitFrom: 'test/fixtures/lego-api',
  testsDir: 'test/functions',
} satisfies XrayScaffoldConfig
