import { queryDatabase } from '../support/postgres'
import { describeFaults } from './fault-matrix'

let mocId: string

/** A MOC with an instructions file, owned by the test user: DELETE reaches S3. */
async function mocWithInstructions(): Promise<string> {
  const { rows } = await queryDatabase<{ id: string }>(
    `INSERT INTO moc_instructions (user_id, title, instructions_key)
     VALUES ('user-1', 'Fault probe', 'mocs/user-1/probe.pdf') RETURNING id`,
  )
  return rows[0]!.id
}

const getMoc = {
  request: () => ({
    method: 'GET' as const,
    resource: '/api/mocs/{id}',
    pathParameters: { id: mocId },
  }),
  ok: 200,
}
const searchMocs = {
  request: () => ({ method: 'GET' as const, resource: '/api/mocs', query: { q: 'falcon' } }),
  ok: 200,
}

describeFaults({
  service: 'moc-instructions',
  async seed() {
    mocId = await mocWithInstructions()
  },
  probes: {
    postgres: {
      request: () => ({
        method: 'POST',
        resource: '/api/mocs',
        body: { title: 'Fault probe', description: 'inserted under faults' },
      }),
      ok: 201,
    },
    redis: getMoc,
    s3: {
      request: async () => ({
        method: 'DELETE',
        resource: '/api/mocs/{id}',
        pathParameters: { id: await mocWithInstructions() },
      }),
      ok: 204,
    },
    opensearch: searchMocs,
  },
  without: { postgres: searchMocs, redis: searchMocs, s3: searchMocs, opensearch: getMoc },
})
