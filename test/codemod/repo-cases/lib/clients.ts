import { Pool } from 'pg'
import { createClient } from 'redis'

/** Clients constructed once, in a module of their own; handlers import them. */
export const pool = new Pool({ connectionString: process.env.DATABASE_URL })
export const cache = createClient({ url: process.env.REDIS_URL })
