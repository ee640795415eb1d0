'use strict'
const { Pool } = require('pg')
const { traced, withTracing } = require('./lib/tracing')
const { capturePostgres } = require('./lib/tracing/capture-postgres')

capturePostgres(require('pg'))

const pool = new Pool()

exports.handler = withTracing({ service: 'commonjs-exports' }, async (event) => {
  const result = await traced('Database Query - UPDATE orders', { annotations: { operation: 'UPDATE', table: 'orders' } }, () => pool.query({ text: 'UPDATE orders SET status = $1 WHERE id = $2', values: ['paid', event.id] }))
  return { updated: result.rowCount }
})
