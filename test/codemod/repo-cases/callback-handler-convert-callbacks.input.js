const { Pool } = require('pg')

const pool = new Pool()

// Callback style: nodejs24.x does not run it. Reported; rewritten only with --convert-callbacks.
exports.handler = function (event, context, callback) {
  pool.query('SELECT now()', (error, result) => callback(error, result && result.rows[0]))
}
