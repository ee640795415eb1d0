import { pgTable, text, uuid } from 'drizzle-orm/pg-core'

/** The table the cases query: its SQL name differs from the variable, as in the lego-api. */
export const mocInstructions = pgTable('moc_instructions', {
  id: uuid('id').primaryKey().defaultRandom(),
  userId: text('user_id').notNull(),
  title: text('title').notNull(),
  instructionsKey: text('instructions_key'),
})
