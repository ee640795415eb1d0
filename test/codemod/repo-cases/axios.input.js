const axios = require('axios')

const payments = axios.create({ baseURL: 'https://payments.example.com' })

exports.handler = async (event) => {
  const rates = await axios.get('https://rates.example.com/latest')
  const charge = await payments.post('/charges', { amount: event.amount })
  return { rate: rates.data, charge: charge.data }
}
