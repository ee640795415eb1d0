const { createClient } = require('redis')

const redis = createClient()

exports.handler = (event, context) => {
  redis
    .get(event.key)
    .then((value) => context.succeed({ value }))
    .catch((error) => context.fail(error))
}
