import { Pool } from 'pg'

declare const awslambda: {
  streamifyResponse: (fn: (event: unknown, stream: NodeJS.WritableStream) => Promise<void>) => unknown
}

const pool = new Pool()

// A streaming handler keeps its (event, responseStream, context) signature: left as it is.
export const handler = awslambda.streamifyResponse(async (event, responseStream) => {
  const { rows } = await pool.query('SELECT * FROM feed')
  responseStream.write(JSON.stringify(rows))
  responseStream.end()
})
