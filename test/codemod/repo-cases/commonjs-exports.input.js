'use strict'
const { Pool } = require('pg')

const pool = new Pool()

exports.handler = async (event) => {
  const result = await pool.query({ text: 'UPDATE orders SET status = $1 WHERE id = $2', values: ['paid', event.id] })
  return { updated: result.rowCount }
}
