// Lets the Plop CLI (`npx plop`, which cannot load TypeScript on its own) load plopfile.ts.
import { register } from 'tsx/esm/api'

register()
export default (await import('./plopfile.ts')).default
