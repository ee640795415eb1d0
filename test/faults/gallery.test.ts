import { queryDatabase } from '../support/postgres'
import { describeFaults } from './fault-matrix'

const IMAGE = Buffer.from('RIFF....WEBPVP8 fault-probe').toString('base64')
let imageId: string

const getImage = {
  request: () => ({
    method: 'GET' as const,
    resource: '/api/images/{imageId}',
    pathParameters: { imageId },
  }),
  ok: 200,
}
const searchImages = {
  request: () => ({ method: 'GET' as const, resource: '/api/images', query: { q: 'castle' } }),
  ok: 200,
}

describeFaults({
  service: 'gallery',
  async seed() {
    const { rows } = await queryDatabase<{ id: string }>(
      `INSERT INTO gallery_images (user_id, title, image_key, content_type)
       VALUES ('user-1', 'Fault probe castle', 'gallery/user-1/probe.webp', 'image/webp') RETURNING id`,
    )
    imageId = rows[0]!.id
  },
  probes: {
    postgres: getImage,
    s3: {
      request: () => ({
        method: 'POST',
        resource: '/api/images',
        body: { title: 'Fault probe', contentType: 'image/webp', data: IMAGE },
      }),
      ok: 201,
    },
    opensearch: searchImages,
  },
  without: { postgres: searchImages, s3: searchImages, opensearch: getImage },
})
