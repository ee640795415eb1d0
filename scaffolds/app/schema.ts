// Scaffolded by xray-scaffold: your Drizzle tables, which the traced Postgres client
// (src/lib/db/client.ts) gives to `drizzle(pool, { schema })`. This file is yours; gen never
// rewrites it. Declare tables here with drizzle-orm/pg-core, for example:
//
//   export const orders = pgTable('orders', { id: uuid('id').primaryKey().defaultRandom() })
export {}
