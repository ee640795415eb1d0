import { describeFaults } from './fault-matrix'

const item = { setNumber: '10497', name: 'Galaxy Explorer' }
/** A request the handler answers before touching any dependency. */
const invalid = {
  request: () => ({ method: 'POST' as const, resource: '/api/wishlist', body: '{}' }),
  ok: 400,
}

describeFaults({
  service: 'wishlist',
  probes: {
    postgres: {
      request: () => ({ method: 'POST', resource: '/api/wishlist', body: item }),
      ok: 201,
    },
    redis: { request: () => ({ method: 'GET', resource: '/api/wishlist' }), ok: 200 },
  },
  without: { postgres: invalid, redis: invalid },
})
