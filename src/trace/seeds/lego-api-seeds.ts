import { randomUUID } from 'node:crypto'
import type { AppSeeds, SeedContext } from './route-seed'

/*
 * What each lego-api route needs to show its whole trace: a MOC with an instructions PDF for
 * the cache-miss read (Redis, Postgres, Redis set, presigned S3 URL), searchable documents for
 * the searches, a profile with an avatar, and request bodies the handlers accept.
 */

/** The smallest valid PNG (1×1), base64: what the upload routes accept as an image. */
const PNG_1X1 =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=='
const PDF = Buffer.from('%PDF-1.4\n% xray-scaffold trace seed\n')

async function seedMoc(context: SeedContext): Promise<string> {
  const id = randomUUID()
  const key = `mocs/${context.userId}/${id}/instructions.pdf`
  const title = 'Millennium Falcon UCS 75192'
  await context.query(
    'INSERT INTO moc_instructions (id, user_id, title, description, instructions_key) VALUES ($1, $2, $3, $4, $5)',
    [id, context.userId, title, 'Seeded by xray-scaffold trace', key],
  )
  await context.putObject(key, PDF, 'application/pdf')
  await context.indexDocument('mocs', id, { userId: context.userId, title })
  await context.deleteKeys(`moc:${id}`)
  return id
}

async function seedImage(context: SeedContext): Promise<string> {
  const id = randomUUID()
  const key = `images/${context.userId}/${id}`
  const title = 'Technic Bugatti Chiron'
  await context.query(
    'INSERT INTO gallery_images (id, user_id, title, image_key, content_type) VALUES ($1, $2, $3, $4, $5)',
    [id, context.userId, title, key, 'image/png'],
  )
  await context.putObject(key, Buffer.from(PNG_1X1, 'base64'), 'image/png')
  await context.indexDocument('gallery_images', id, { userId: context.userId, title })
  return id
}

async function seedWishlistItem(context: SeedContext): Promise<string> {
  const [row] = await context.query(
    'INSERT INTO wishlist_items (user_id, set_number, name) VALUES ($1, $2, $3) RETURNING id',
    [context.userId, '10497', 'Galaxy Explorer'],
  )
  await context.deleteKeys(`wishlist:${context.userId}`)
  return String(row!.id)
}

async function seedProfile(context: SeedContext): Promise<void> {
  const key = `avatars/${context.userId}`
  await context.query(
    `INSERT INTO profiles (user_id, display_name, avatar_key) VALUES ($1, $2, $3)
     ON CONFLICT (user_id) DO UPDATE SET avatar_key = EXCLUDED.avatar_key`,
    [context.userId, 'Brick Builder', key],
  )
  await context.putObject(key, Buffer.from(PNG_1X1, 'base64'), 'image/png')
  await context.deleteKeys(`profile:${context.userId}`)
}

/** Seeds for every route of the lego-api manifest. */
export const legoApiSeeds: AppSeeds = {
  'GET /api/mocs/{id}': async (context) => ({ pathParameters: { id: await seedMoc(context) } }),
  'GET /api/mocs': async (context) => {
    await seedMoc(context)
    return { query: { q: 'falcon' } }
  },
  'POST /api/mocs': async () => ({
    body: { title: 'Modular Bookshop', description: 'Seeded by xray-scaffold trace' },
  }),
  'DELETE /api/mocs/{id}': async (context) => ({ pathParameters: { id: await seedMoc(context) } }),
  'GET /api/images/{imageId}': async (context) => ({
    pathParameters: { imageId: await seedImage(context) },
  }),
  'POST /api/images': async () => ({
    body: { title: 'Technic Bugatti Chiron', contentType: 'image/png', data: PNG_1X1 },
  }),
  'GET /api/images': async (context) => {
    await seedImage(context)
    return { query: { q: 'bugatti' } }
  },
  'GET /api/wishlist': async (context) => {
    await seedWishlistItem(context)
    return {}
  },
  'POST /api/wishlist': async () => ({ body: { setNumber: '10497', name: 'Galaxy Explorer' } }),
  'DELETE /api/wishlist/{itemId}': async (context) => ({
    pathParameters: { itemId: await seedWishlistItem(context) },
  }),
  'GET /api/profile': async (context) => {
    await seedProfile(context)
    return {}
  },
  'PUT /api/profile/avatar': async (context) => {
    await seedProfile(context)
    return { body: { contentType: 'image/png', data: PNG_1X1 } }
  },
}
