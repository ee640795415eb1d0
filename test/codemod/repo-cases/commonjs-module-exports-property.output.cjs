const { Pool } = require('pg')
const { traced, withTracing } = require('./lib/tracing')
const { capturePostgres } = require('./lib/tracing/capture-postgres')

capturePostgres(require('pg'))

const pool = new Pool()

module.exports.handler = withTracing({ service: 'commonjs-module-exports-property' }, async function (event) {
  const { rows } = await traced('Database Query - SELECT carts', { annotations: { operation: 'SELECT', table: 'carts' } }, () => pool.query('SELECT * FROM carts WHERE id = $1', [event.cartId]))
  return rows
})
