export const handler = async (event: { city: string }) => {
  const response = await fetch(`https://weather.example.com/v1/${event.city}`)
  const posted = await fetch('https://hooks.example.com/notify', { method: 'POST', body: event.city })
  return { weather: await response.json(), notified: posted.ok }
}
