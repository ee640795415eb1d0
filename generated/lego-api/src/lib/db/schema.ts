import { index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core'

/** Building instructions for a MOC (My Own Creation); the PDF itself lives in S3. */
export const mocInstructions = pgTable(
  'moc_instructions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: text('user_id').notNull(),
    title: text('title').notNull(),
    description: text('description'),
    instructionsKey: text('instructions_key'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('moc_instructions_user_id_idx').on(table.userId)],
)

/** An image a user uploaded to the gallery; the bytes live in S3 under `imageKey`. */
export const galleryImages = pgTable(
  'gallery_images',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: text('user_id').notNull(),
    title: text('title').notNull(),
    imageKey: text('image_key').notNull(),
    contentType: text('content_type').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('gallery_images_user_id_idx').on(table.userId)],
)

/** A LEGO set a user wants, identified by its set number (`10294-1`). */
export const wishlistItems = pgTable(
  'wishlist_items',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: text('user_id').notNull(),
    setNumber: text('set_number').notNull(),
    name: text('name').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('wishlist_items_user_id_idx').on(table.userId)],
)

/** One profile per Cognito user; the avatar lives in S3 under `avatarKey`. */
export const profiles = pgTable('profiles', {
  userId: text('user_id').primaryKey(),
  displayName: text('display_name').notNull(),
  avatarKey: text('avatar_key'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
})

export type MocInstruction = typeof mocInstructions.$inferSelect
export type GalleryImage = typeof galleryImages.$inferSelect
export type WishlistItem = typeof wishlistItems.$inferSelect
export type Profile = typeof profiles.$inferSelect
