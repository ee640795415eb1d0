const { Pool } = require('pg')

const pool = new Pool()

module.exports.handler = async function (event) {
  const { rows } = await pool.query('SELECT * FROM carts WHERE id = $1', [event.cartId])
  return rows
}
