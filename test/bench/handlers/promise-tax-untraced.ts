import { promiseLoop } from './promise-loop'

/** The promise-heavy handler without any tracing. */
export const handler = async () => promiseLoop()
