import { drizzle } from 'drizzle-orm/node-postgres'
import { Pool } from 'pg'
import * as schema from './schema'

export const pool = new Pool({ max: 1 })

// With the schema, so relational queries (`db.query.mocInstructions`) are typed.
export const db = drizzle(pool, { schema })
