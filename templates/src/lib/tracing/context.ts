import { AsyncLocalStorage } from 'node:async_hooks'
import type { EventEmitter } from 'node:events'

/**
 * The namespace API aws-xray-sdk-core takes from `cls-hooked/context`, on AsyncLocalStorage.
 * cls-hooked installs async_hooks that run on every promise of the process; on Node 24
 * AsyncLocalStorage follows the async context without any hook, so context tracking costs
 * nothing outside the subsegments. The bundler resolves `cls-hooked/context` to this module
 * (an esbuild `alias`, see infra/bundling.ts); nothing imports it directly.
 */

/** A context: its values, starting as a copy of those of the context it was created in. */
export type Context = Record<string, unknown>

type Listener = ((...args: unknown[]) => unknown) & { listener?: unknown }

/** One namespace of contexts, as cls-hooked's `Namespace`. */
export class Namespace {
  private readonly storage = new AsyncLocalStorage<Context>()
  /**
   * A context entered outside any `run`: the SDK enters one at load in Lambda to hold the
   * facade segment. cls-hooked keeps it active for all later callbacks, so it stays the default
   * here (the invocation's callbacks do not descend from the code that loaded the module).
   */
  private base: Context | undefined
  private readonly entered: Array<Context | undefined> = []

  constructor(readonly name: string) {}

  /** The current context, or `undefined` outside any. */
  get active(): Context | undefined {
    return this.storage.getStore() ?? this.base
  }

  /**
   * Sets `key` on the current context; throws like cls-hooked when there is none.
   *
   * @example
   * ```ts
   * namespace.run(() => namespace.set('segment', segment))
   * ```
   */
  set<T>(key: string, value: T): T {
    const context = this.active
    if (!context)
      throw new Error('No context available. ns.run() or ns.bind() must be called first.')
    context[key] = value
    return value
  }

  /**
   * The value of `key` in the current context, or `undefined`.
   *
   * @example
   * ```ts
   * const segment = namespace.get('segment')
   * ```
   */
  get(key: string): unknown {
    return this.active?.[key]
  }

  /**
   * A new context holding the current one's values. A copy, where cls-hooked chains contexts by
   * prototype: every context then had a prototype of its own, and V8 builds a hidden class for
   * each object with a new prototype, and another for each key set on it, several per traced
   * operation. Copies of one shape share theirs. A value set later on the context a copy was made
   * from is not seen in the copy; the runtime and the SDK set a context's values as they enter it.
   *
   * @example
   * ```ts
   * namespace.enter(namespace.createContext())
   * ```
   */
  createContext(): Context {
    const active = this.active
    return active ? { ...active } : {}
  }

  /**
   * Runs `fn` in a new child context, which every callback and promise it starts keeps; returns
   * the context.
   *
   * @example
   * ```ts
   * namespace.run(() => namespace.set('segment', subsegment))
   * ```
   */
  run(fn: (context: Context) => void): Context {
    const context = this.createContext()
    this.storage.run(context, fn, context)
    return context
  }

  /**
   * Runs `fn` in a new child context and returns what `fn` returns.
   *
   * @example
   * ```ts
   * const result = namespace.runAndReturn(() => handler(event))
   * ```
   */
  runAndReturn<T>(fn: (context: Context) => T): T {
    const context = this.createContext()
    return this.storage.run(context, fn, context)
  }

  /**
   * `fn` bound to `context` (default: the current context, or a new one).
   *
   * @example
   * ```ts
   * setTimeout(namespace.bind(() => namespace.get('segment')), 10)
   * ```
   */
  bind<F extends (...args: never[]) => unknown>(fn: F, context?: Context): F {
    const target = context ?? this.active ?? this.createContext()
    const storage = this.storage
    return function bound(this: unknown, ...args: Parameters<F>) {
      return storage.run(target, () => fn.apply(this, args))
    } as F
  }

  /**
   * Makes each listener added to `emitter` from now on run in the context current when it was
   * added, not in the one that emits. Listeners keep their identity for `removeListener` and
   * `listeners()` (Node unwraps a wrapper's `listener` property, as for `once`).
   *
   * @example
   * ```ts
   * namespace.bindEmitter(request)
   * ```
   */
  bindEmitter(emitter: EventEmitter): void {
    const target = emitter as unknown as Record<string, (event: unknown, fn: Listener) => unknown>
    const wrap = (fn: Listener, once: boolean, remove: (w: Listener) => void): Listener => {
      const bound = this.bind(fn)
      const wrapper: Listener = function (this: unknown, ...args: unknown[]) {
        if (once) remove(wrapper)
        return bound.apply(this, args)
      }
      wrapper.listener = fn
      return wrapper
    }
    // The originals, taken before any is replaced: `once` adds its wrapper with the original `on`.
    const { on, addListener, prependListener } = target
    for (const [method, add, once] of [
      ['on', on, false],
      ['addListener', addListener, false],
      ['prependListener', prependListener, false],
      ['once', on, true],
      ['prependOnceListener', prependListener, true],
    ] as const) {
      target[method] = function (this: EventEmitter, event: unknown, fn: Listener) {
        const remove = (w: Listener) => this.removeListener(event as string, w)
        return add.call(this, event, wrap(fn, once, remove))
      }
    }
  }

  /**
   * Makes `context` current for the rest of this synchronous execution and what it starts.
   * Entered outside any context, it becomes the default context (see `base`).
   *
   * @example
   * ```ts
   * namespace.enter(namespace.createContext())
   * ```
   */
  enter(context: Context): void {
    if (!context) throw new Error('context must be provided for entering')
    const previous = this.active
    this.entered.push(previous)
    if (previous === undefined) this.base = context
    this.storage.enterWith(context)
  }

  /**
   * Leaves `context`, making current again the context that was current when it was entered.
   *
   * @example
   * ```ts
   * namespace.exit(context)
   * ```
   */
  exit(context: Context): void {
    if (!context) throw new Error('context must be provided for exiting')
    const previous = this.entered.pop()
    if (this.base === context) this.base = previous
    this.storage.enterWith(previous as Context)
  }
}

const namespaces = new Map<string, Namespace>()

/**
 * Creates the namespace `name`, replacing any of that name.
 *
 * @example
 * ```ts
 * const namespace = createNamespace('AWSXRay')
 * ```
 */
export function createNamespace(name: string): Namespace {
  if (!name) throw new Error('namespace must be given a name.')
  const namespace = new Namespace(name)
  namespaces.set(name, namespace)
  return namespace
}

/**
 * The namespace `name`, or `undefined`.
 *
 * @example
 * ```ts
 * const namespace = getNamespace('AWSXRay') ?? createNamespace('AWSXRay')
 * ```
 */
export function getNamespace(name: string): Namespace | undefined {
  return namespaces.get(name)
}

/**
 * Forgets the namespace `name` (the SDK's manual mode does this).
 *
 * @example
 * ```ts
 * destroyNamespace('AWSXRay')
 * ```
 */
export function destroyNamespace(name: string): void {
  namespaces.delete(name)
}

/**
 * Forgets every namespace.
 *
 * @example
 * ```ts
 * reset()
 * ```
 */
export function reset(): void {
  namespaces.clear()
}
