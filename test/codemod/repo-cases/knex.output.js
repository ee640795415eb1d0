const knex = require('knex')
const { traced, withTracing } = require('./lib/tracing')
const { capturePostgres } = require('./lib/tracing/capture-postgres')

capturePostgres(require('pg'))

const db = knex({ client: 'pg', connection: process.env.DATABASE_URL })

exports.handler = withTracing({ service: 'knex' }, async (event) => {
  const rows = await traced('Database Query - SELECT customers', { annotations: { operation: 'SELECT', table: 'customers' } }, () => db('customers').where({ id: event.id }).select('name'))
  await traced('Database Query - INSERT audit', { annotations: { operation: 'INSERT', table: 'audit' } }, () => db('audit').insert({ customer: event.id }))
  return rows
})
