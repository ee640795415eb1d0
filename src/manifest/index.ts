export type * from './types'
export { legoApi } from './lego-api'
export { validateManifest, ManifestError } from './validate'
