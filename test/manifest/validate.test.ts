import { describe, expect, it } from 'vitest'
import { legoApi, ManifestError, validateManifest } from '../../src/manifest'
import type { AnnotationSource, AppManifest, ServiceSpec } from '../../src/manifest'

/*
 * Each bad manifest is the lego-api with one field changed; each must fail with one line that
 * names the app or service, the field and the fix.
 */

/** The lego-api with the app-level fields in `change` replaced. */
function withApp(change: object): AppManifest {
  return { ...legoApi, ...change } as AppManifest
}

/** The lego-api with service `id` replaced by `edit(service)`. */
function withService(id: string, edit: (service: ServiceSpec) => object): AppManifest {
  const services = legoApi.services.map((service) => (service.id === id ? edit(service) : service))
  return { ...legoApi, services } as AppManifest
}

/** The lego-api with the fields in `change` set on service `id`. */
function changeService(id: string, change: object): AppManifest {
  return withService(id, (service) => ({ ...service, ...change }))
}

function serviceOf(id: string): ServiceSpec {
  const service = legoApi.services.find((candidate) => candidate.id === id)
  if (!service) throw new Error(`no service ${id} in the lego-api`)
  return service
}

function manifestError(app: AppManifest): ManifestError {
  try {
    validateManifest(app)
  } catch (error) {
    expect(error).toBeInstanceOf(ManifestError)
    return error as ManifestError
  }
  throw new Error('validateManifest accepted the manifest')
}

function expectRejected(app: AppManifest, message: string): void {
  const error = manifestError(app)
  expect(error.message).toBe(message)
  expect(error.message).not.toMatch(/[\r\n]/)
}

describe('a valid manifest', () => {
  it('is returned unchanged: the lego-api passes', () => {
    const before = structuredClone(legoApi)
    expect(validateManifest(legoApi)).toBe(legoApi)
    expect(legoApi).toEqual(before)
  })
})

describe('ManifestError', () => {
  it('is an Error named ManifestError', () => {
    const error = manifestError(withApp({ name: 'LegoApi' }))
    expect(error).toBeInstanceOf(Error)
    expect(error.name).toBe('ManifestError')
  })

  it('keeps the message on one line when a value holds a newline or quote', () => {
    expectRejected(
      changeService('wishlist', { id: 'wish\n"list"' }),
      'service "wish\\n\\"list\\"": id is not kebab-case; use lowercase letters, digits and single hyphens (e.g. "wish-list")',
    )
  })

  it('reports the first problem: app-level before services, services in order', () => {
    const twoBadServices = {
      ...legoApi,
      services: legoApi.services.map((s) => ({ ...s, id: s.id.toUpperCase() })),
    }
    expect(manifestError(twoBadServices).message).toMatch(/^service "MOC-INSTRUCTIONS": /)
    expect(manifestError({ ...twoBadServices, name: 'Lego' }).message).toMatch(/^app "Lego": /)
  })
})

describe('app name and dependencies', () => {
  it('rejects an app name that is not kebab-case', () => {
    expectRejected(
      withApp({ name: 'LegoApi' }),
      'app "LegoApi": name is not kebab-case; use lowercase letters, digits and single hyphens (e.g. "lego-api")',
    )
  })

  it('rejects an app dependency entry whose key is not a known kind', () => {
    const dependencies = {
      ...legoApi.dependencies,
      dynamodb: { ...legoApi.dependencies.redis, kind: 'dynamodb' },
    }
    expectRejected(
      withApp({ dependencies }),
      'app "lego-api": dependencies has an entry "dynamodb", which is not a known kind; use one of postgres, redis, s3, opensearch',
    )
  })

  it('rejects an app dependency entry whose kind differs from its key', () => {
    const dependencies = {
      ...legoApi.dependencies,
      redis: { ...legoApi.dependencies.redis, kind: 'postgres' },
    }
    expectRejected(
      withApp({ dependencies }),
      'app "lego-api": dependencies.redis has kind "postgres"; set its kind to "redis" (an entry\'s kind must equal its key)',
    )
  })
})

describe('service ids and construct names', () => {
  it('rejects a service id that is not kebab-case', () => {
    expectRejected(
      changeService('moc-instructions', { id: 'MocInstructions' }),
      'service "MocInstructions": id is not kebab-case; use lowercase letters, digits and single hyphens (e.g. "moc-instructions")',
    )
  })

  it('rejects two services with the same id', () => {
    expectRejected(
      changeService('wishlist', { id: 'gallery' }),
      'service "gallery": services[1] and services[2] both have this id; give each service a unique id',
    )
  })

  it('rejects two services with the same constructName', () => {
    expectRejected(
      changeService('wishlist', { constructName: 'Gallery' }),
      'service "wishlist": constructName "Gallery" is already used by service "gallery"; give each service a unique constructName (e.g. "Wishlist")',
    )
  })
})

describe('dependencies of a service', () => {
  it('rejects a kind that is not known', () => {
    expectRejected(
      changeService('wishlist', { dependencies: ['postgres', 'dynamodb'] }),
      'service "wishlist": dependency "dynamodb" is not a known kind; use one of postgres, redis, s3, opensearch',
    )
  })

  it("rejects a known kind missing from the app's dependencies", () => {
    const { redis: _redis, ...dependencies } = legoApi.dependencies
    expectRejected(
      withApp({ dependencies }),
      'service "moc-instructions": dependency "redis" is not declared in the app\'s dependencies; add a dependencies.redis entry to app "lego-api" or remove it from the service',
    )
  })
})

describe('s3Prefix', () => {
  it('is required when the service uses S3', () => {
    expectRejected(
      withService('gallery', ({ s3Prefix: _s3Prefix, ...service }) => service),
      'service "gallery": dependencies include "s3" but s3Prefix is missing; set s3Prefix to the key prefix it may use (e.g. "gallery/")',
    )
  })

  it('may not be empty (it would grant the whole bucket)', () => {
    expectRejected(
      changeService('gallery', { s3Prefix: '' }),
      'service "gallery": s3Prefix is empty, which would grant the whole bucket; set it to the key prefix it may use (e.g. "gallery/")',
    )
  })

  it('must end in "/"', () => {
    expectRejected(
      changeService('gallery', { s3Prefix: 'images' }),
      'service "gallery": s3Prefix "images" does not end in "/", so it would also match "images-other/"; end it with "/" (e.g. "images/")',
    )
  })

  it('may not contain "*"', () => {
    expectRejected(
      changeService('gallery', { s3Prefix: 'images/*' }),
      'service "gallery": s3Prefix "images/*" contains "*"; give the plain key prefix (e.g. "gallery/"), the infra adds the wildcard',
    )
  })

  it('is rejected on a service that does not use S3', () => {
    expectRejected(
      changeService('wishlist', { s3Prefix: 'wishlist/' }),
      'service "wishlist": s3Prefix is set but dependencies do not include "s3"; add "s3" to dependencies or remove s3Prefix',
    )
  })
})

describe('searchIndices', () => {
  it('is required when the service uses OpenSearch', () => {
    expectRejected(
      withService('gallery', ({ searchIndices: _searchIndices, ...service }) => service),
      'service "gallery": dependencies include "opensearch" but searchIndices is missing; set searchIndices to the indices it may query (e.g. ["gallery"])',
    )
  })

  it('may not be empty', () => {
    expectRejected(
      changeService('gallery', { searchIndices: [] }),
      'service "gallery": searchIndices is empty; list the indices it may query (e.g. ["gallery"])',
    )
  })

  const rule =
    'use a lowercase name without spaces or * \\ / ? " < > | , # that does not start with -, _, +'
  it.each([
    ['Gallery_Images', 'it has uppercase letters'],
    ['gallery images', 'it contains a space'],
    ['gallery*', 'it contains "*"'],
    ['a\\b', 'it contains "\\\\"'],
    ['a/b', 'it contains "/"'],
    ['a?b', 'it contains "?"'],
    ['a"b', 'it contains "\\""'],
    ['a<b', 'it contains "<"'],
    ['a>b', 'it contains ">"'],
    ['a|b', 'it contains "|"'],
    ['a,b', 'it contains ","'],
    ['a#b', 'it contains "#"'],
    ['-images', 'it starts with "-"'],
    ['_images', 'it starts with "_"'],
    ['+images', 'it starts with "+"'],
    ['', 'it is empty'],
  ])('rejects the index name %j (%s)', (name, problem) => {
    expectRejected(
      changeService('gallery', { searchIndices: ['gallery_images', name] }),
      `service "gallery": searchIndices entry ${JSON.stringify(name)} is not a valid OpenSearch index name (${problem}); ${rule}`,
    )
  })

  it('is rejected on a service that does not use OpenSearch', () => {
    expectRejected(
      changeService('wishlist', { searchIndices: ['wishlist'] }),
      'service "wishlist": searchIndices is set but dependencies do not include "opensearch"; add "opensearch" to dependencies or remove searchIndices',
    )
  })
})

describe('routes', () => {
  const galleryRoutes = serviceOf('gallery').routes

  it('rejects a method outside GET, POST, PUT, PATCH, DELETE, even one the types allow through', () => {
    expectRejected(
      changeService('gallery', {
        routes: [...galleryRoutes, { method: 'get', path: '/api/tags' }],
      }),
      'service "gallery": routes[3] method "get" is not one of GET, POST, PUT, PATCH, DELETE; write it in uppercase ("GET")',
    )
    expectRejected(
      changeService('gallery', { routes: [{ method: 'HEAD', path: '/api/tags' }] }),
      'service "gallery": routes[0] method "HEAD" is not one of GET, POST, PUT, PATCH, DELETE; use one of them',
    )
  })

  it('rejects a path that does not start with "/"', () => {
    expectRejected(
      changeService('gallery', { routes: [{ method: 'GET', path: 'api/images/{imageId}' }] }),
      'service "gallery": routes[0] path "api/images/{imageId}" does not start with "/"; write it from the API root (e.g. "/api/images/{imageId}")',
    )
  })

  it.each(['/api/images/{imageId', '/api/images/imageId}', '/api/{images/{imageId}}'])(
    'rejects the path %s with unbalanced braces',
    (path) => {
      expectRejected(
        changeService('gallery', { routes: [{ method: 'GET', path }] }),
        `service "gallery": routes[0] path "${path}" has unbalanced braces; write each path parameter as "{name}"`,
      )
    },
  )

  it('rejects a path with an empty "{}"', () => {
    expectRejected(
      changeService('gallery', { routes: [{ method: 'GET', path: '/api/images/{}' }] }),
      'service "gallery": routes[0] path "/api/images/{}" has an empty "{}"; name the parameter (e.g. "{id}")',
    )
  })

  it('rejects the same METHOD and path twice in one service', () => {
    expectRejected(
      changeService('gallery', {
        routes: [...galleryRoutes, { method: 'POST', path: '/api/images' }],
      }),
      'service "gallery": route "POST /api/images" is listed twice; remove one of them',
    )
  })

  it('rejects the same METHOD and path in two services, naming both', () => {
    const wishlistRoutes = serviceOf('wishlist').routes
    expectRejected(
      changeService('wishlist', {
        routes: [...wishlistRoutes, { method: 'GET', path: '/api/images' }],
      }),
      'service "wishlist": route "GET /api/images" is also served by service "gallery"; a method and path go to one function only, so remove it from one of the two services',
    )
  })

  it('accepts the same path under another method, and a greedy {proxy+} parameter', () => {
    const routes = [...galleryRoutes, { method: 'PUT', path: '/api/images/{imageId}' }]
    expect(() => validateManifest(changeService('gallery', { routes }))).not.toThrow()
    const proxy = changeService('gallery', {
      routes: [{ method: 'GET', path: '/api/images/{proxy+}' }],
      annotations: { imageKey: { from: 'pathParameter', name: 'proxy' } },
    })
    expect(() => validateManifest(proxy)).not.toThrow()
  })
})

describe('annotations', () => {
  const galleryAnnotations = serviceOf('gallery').annotations

  it("rejects a key outside X-Ray's ^[A-Za-z0-9_]+$", () => {
    expectRejected(
      changeService('gallery', {
        annotations: { ...galleryAnnotations, 'image-id': { from: 'claim', name: 'sub' } },
      }),
      'service "gallery": annotation key "image-id" is not a valid X-Ray annotation key; use only letters, digits and underscores (e.g. "image_id")',
    )
  })

  it('rejects a key withTracing already sets on every request', () => {
    expectRejected(
      changeService('gallery', {
        annotations: { ...galleryAnnotations, route: { from: 'claim', name: 'sub' } },
      }),
      'service "gallery": annotation key "route" is one withTracing already sets on every request (Service, ColdStart, method, path, route); choose another key',
    )
  })

  /** Gallery's two annotations plus `extra` claims. */
  function galleryWithAnnotations(extra: number): AppManifest {
    const annotations: Record<string, AnnotationSource> = { ...galleryAnnotations }
    for (let i = 0; i < extra; i++) annotations[`claim${i}`] = { from: 'claim', name: `c${i}` }
    return changeService('gallery', { annotations })
  }

  it("accepts 45 annotations: with the 5 withTracing adds, X-Ray's limit of 50", () => {
    expect(() => validateManifest(galleryWithAnnotations(43))).not.toThrow()
  })

  it('rejects more than 45 annotations', () => {
    expectRejected(
      galleryWithAnnotations(44),
      'service "gallery": 46 annotations are configured but at most 45 fit: X-Ray indexes 50 and withTracing adds Service, ColdStart, method, path, route itself; record the rest as metadata',
    )
  })

  it('rejects a path parameter that no route of the service has', () => {
    expectRejected(
      changeService('gallery', {
        annotations: { ...galleryAnnotations, imageId: { from: 'pathParameter', name: 'id' } },
      }),
      'service "gallery": annotation "imageId" reads path parameter "id", which no route of the service has in its path; use a parameter its routes have ("imageId") or remove the annotation',
    )
  })

  it('rejects a path parameter when the service has none, even if another service has it', () => {
    // moc-instructions has {id}; the profile service does not.
    expectRejected(
      changeService('profile', { annotations: { mocId: { from: 'pathParameter', name: 'id' } } }),
      'service "profile": annotation "mocId" reads path parameter "id", which no route of the service has in its path; add a route with "{id}" in its path or remove the annotation',
    )
  })
})
