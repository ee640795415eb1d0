import { DEFAULT_DEPENDENCIES } from './config'
import type { AppManifest } from './types'

/** The lego-api: four Lambda services behind one REST API, sharing Postgres, Redis, S3 and OpenSearch. */
export const legoApi: AppManifest = {
  name: 'lego-api',
  // The default ones: the lego-api's clients are where a generated app puts them.
  dependencies: DEFAULT_DEPENDENCIES,
  services: [
    {
      id: 'moc-instructions',
      title: 'MOC Instructions',
      constructName: 'MocInstructions',
      routes: [
        { method: 'GET', path: '/api/mocs/{id}' },
        { method: 'GET', path: '/api/mocs' },
        { method: 'POST', path: '/api/mocs' },
        { method: 'DELETE', path: '/api/mocs/{id}' },
      ],
      annotations: {
        userId: { from: 'claim', name: 'sub' },
        mocId: { from: 'pathParameter', name: 'id' },
      },
      dependencies: ['postgres', 'redis', 's3', 'opensearch'],
      s3Prefix: 'mocs/',
      searchIndices: ['mocs'],
    },
    {
      id: 'gallery',
      title: 'Gallery',
      constructName: 'Gallery',
      routes: [
        { method: 'GET', path: '/api/images/{imageId}' },
        { method: 'POST', path: '/api/images' },
        { method: 'GET', path: '/api/images' },
      ],
      annotations: {
        userId: { from: 'claim', name: 'sub' },
        imageId: { from: 'pathParameter', name: 'imageId' },
      },
      dependencies: ['postgres', 's3', 'opensearch'],
      s3Prefix: 'images/',
      searchIndices: ['gallery_images'],
    },
    {
      id: 'wishlist',
      title: 'Wishlist',
      constructName: 'Wishlist',
      routes: [
        { method: 'GET', path: '/api/wishlist' },
        { method: 'POST', path: '/api/wishlist' },
        { method: 'DELETE', path: '/api/wishlist/{itemId}' },
      ],
      annotations: {
        userId: { from: 'claim', name: 'sub' },
        wishlistItemId: { from: 'pathParameter', name: 'itemId' },
      },
      dependencies: ['postgres', 'redis'],
    },
    {
      id: 'profile',
      title: 'Profile',
      constructName: 'Profile',
      routes: [
        { method: 'GET', path: '/api/profile' },
        { method: 'PUT', path: '/api/profile/avatar' },
      ],
      annotations: {
        userId: { from: 'claim', name: 'sub' },
      },
      dependencies: ['postgres', 'redis', 's3'],
      s3Prefix: 'avatars/',
    },
  ],
}
