const { createClient } = require('redis')

const redis = createClient()

async function handler(event) {
  return redis.get(`session:${event.sessionId}`)
}

module.exports = {
  handler,
  // A second entry point of the same file.
  refresh: async (event) => {
    await redis.expire(`session:${event.sessionId}`, 600)
  },
}
