import { traced, withTracing } from './lib/tracing'
import { captureFetch } from './lib/tracing/capture-fetch'

const tracedFetch = captureFetch()

export const handler = withTracing({ service: 'fetch' }, async (event: { city: string }) => {
  const response = await traced('HTTP - GET weather.example.com', { annotations: { operation: 'GET', host: 'weather.example.com' } }, () => tracedFetch(`https://weather.example.com/v1/${event.city}`))
  const posted = await traced('HTTP - POST hooks.example.com', { annotations: { operation: 'POST', host: 'hooks.example.com' } }, () => tracedFetch('https://hooks.example.com/notify', { method: 'POST', body: event.city }))
  return { weather: await response.json(), notified: posted.ok }
})
