import type { ServiceDefinition } from './service-definition'

// Generated from the xray-scaffold manifest: `npm run gen` rewrites this list, so add a function
// with `npm run gen handler` rather than by hand.

/** Name of the app: the REST API's name and the prefix of the X-Ray groups and dashboards. */
export const APP_NAME = 'lego-api'

/** The services deployed behind the API, with the dependencies each one may reach. */
export const SERVICES: readonly ServiceDefinition[] = [
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
    dependencies: ['postgres', 'redis', 's3'],
    s3Prefix: 'avatars/',
  },
]
