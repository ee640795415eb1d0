const axios = require('axios')
const { traced, withTracing } = require('./lib/tracing')
const { captureAxios } = require('./lib/tracing/capture-axios')

const payments = captureAxios(axios.create({ baseURL: 'https://payments.example.com' }))

exports.handler = withTracing({ service: 'axios' }, async (event) => {
  const rates = await traced('HTTP - GET rates.example.com', { annotations: { operation: 'GET', host: 'rates.example.com' } }, () => axios.get('https://rates.example.com/latest'))
  const charge = await traced('HTTP - POST', { annotations: { operation: 'POST' } }, () => payments.post('/charges', { amount: event.amount }))
  return { rate: rates.data, charge: charge.data }
})
