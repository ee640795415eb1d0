const knex = require('knex')

const db = knex({ client: 'pg', connection: process.env.DATABASE_URL })

exports.handler = async (event) => {
  const rows = await db('customers').where({ id: event.id }).select('name')
  await db('audit').insert({ customer: event.id })
  return rows
}
