export type * from './types'
export { legoApi } from './lego-api'
