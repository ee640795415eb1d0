const { Pool } = require('pg')
const { withTracing } = require('./lib/tracing')
const { capturePostgres } = require('./lib/tracing/capture-postgres')

capturePostgres(require('pg'))

const pool = new Pool()

// Callback style: nodejs24.x does not run it. Reported; rewritten only with --convert-callbacks.
exports.handler = withTracing({ service: 'callback-handler-convert-callbacks' }, async function (event, context) {
  return new Promise((resolve, reject) => {
    const callback = (error, result) => (error ? reject(error) : resolve(result))
  pool.query('SELECT now()', (error, result) => callback(error, result && result.rows[0]))
  })
})
