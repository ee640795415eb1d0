import SdkSubsegment from 'aws-xray-sdk-core/dist/lib/segments/attributes/subsegment'
import SegmentUtils from 'aws-xray-sdk-core/dist/lib/segments/segment_utils'
import logging from 'aws-xray-sdk-core/dist/lib/logger'
import { afterClose } from './invocation-document'
import { randomHex } from './random-hex'

/**
 * The runtime's own subsegment, made for every subsegment opened under an invocation's facade
 * (lambda-facade.ts) and under another of its kind: the handler's `## <function>`, each `traced`
 * subsegment and each remote call. It records what the SDK's `Subsegment` records, with the same
 * method names and arguments, and its documents are the SDK's byte for byte (the same keys in the
 * same order: the keys recorded after the first ones follow the order of the calls, as the SDK's
 * do). What it leaves out is the SDK's cost per subsegment: the `instanceof` checks, the walk up
 * the tree counting open subsegments on every open and close (nothing reads the count: the SDK's
 * streaming is off, see invocation-document.ts), a `delete` at close, and a `toJSON` call per
 * subsegment in `JSON.stringify`. Its prototype inherits the SDK's, so it is an
 * `AWSXRay.Subsegment` for `instanceof` and for the SDK methods it does not implement itself
 * (`addRemoteRequestData`, `addPrecursorId`).
 */

/** An entity a subsegment can be opened under: a facade, a segment or a subsegment. */
export interface ParentEntity {
  id: string
  notTraced?: boolean
  noOp?: boolean
  trace_id?: string
  subsegments?: unknown[]
  segment?: ParentEntity
  facade?: boolean
}

/** The links up the tree: symbol keys, which JSON.stringify skips, so nothing copies them out. */
const ROOT = Symbol('segment')
const PARENT = Symbol('parent')

const logger = logging.getLogger
const sdkAddError = SdkSubsegment.prototype.addError

/**
 * A subsegment recorded by the runtime.
 *
 * @example
 * ```ts
 * const subsegment = new Subsegment('Redis', parent)
 * subsegment.addAttribute('namespace', 'remote')
 * subsegment.close()
 * ```
 */
export class Subsegment {
  declare id: string
  declare name: string
  declare start_time: number
  declare in_progress: boolean | undefined
  declare notTraced: boolean | undefined
  declare noOp: boolean | undefined;
  declare [ROOT]: ParentEntity | undefined;
  declare [PARENT]: ParentEntity | Subsegment | undefined
  // Set when recorded, in the order of the calls (their order in the document).
  declare end_time?: number
  declare subsegments?: Array<Subsegment | object>
  declare annotations?: Record<string, unknown>
  declare metadata?: Record<string, Record<string, unknown>>
  declare cause?: unknown
  declare fault?: boolean
  declare error?: boolean
  declare throttle?: boolean
  declare sql?: unknown
  declare type?: string
  declare parent_id?: string
  declare trace_id?: string;
  [key: string]: unknown

  /**
   * Opens a subsegment named `name` under `parent` (a facade, a segment or a subsegment) and adds
   * it to the parent's `subsegments`. The fields the SDK's `init` and `addSubsegment` set are set
   * here, in the same order, so every subsegment starts with one shape.
   */
  constructor(name: string, parent: ParentEntity | Subsegment) {
    if (typeof name !== 'string') throw new Error('Subsegment name must be of type string.')
    this.id = randomHex(8)
    this.name = name
    this.start_time = Date.now() / 1000
    this.in_progress = true
    this.notTraced = parent.notTraced
    this[ROOT] = parent instanceof Subsegment ? parent[ROOT] : (parent as ParentEntity)
    this[PARENT] = parent
    this.noOp = parent.noOp
    const siblings = parent.subsegments
    if (siblings) siblings.push(this)
    else parent.subsegments = [this]
  }

  /** The segment at the root of the tree (the facade in Lambda), as the SDK's field. */
  get segment(): ParentEntity | undefined {
    return this[ROOT]
  }
  set segment(value: ParentEntity | undefined) {
    this[ROOT] = value
  }

  /** The entity this subsegment was opened under, as the SDK's field. */
  get parent(): ParentEntity | Subsegment | undefined {
    return this[PARENT]
  }
  set parent(value: ParentEntity | Subsegment | undefined) {
    this[PARENT] = value
  }

  /** Opens a subsegment under this one. */
  addNewSubsegment(name: string): Subsegment {
    return new Subsegment(name, this)
  }

  /** Adds `subsegment` (an SDK subsegment) under this one, as the SDK's `addSubsegment`. */
  addSubsegment(added: object): void {
    if (!(added instanceof SdkSubsegment)) {
      throw new Error(
        `Failed to add subsegment:${String(added)} to subsegment "${this.name}".  Not a subsegment.`,
      )
    }
    const subsegment = added as unknown as Record<string, unknown>
    subsegment.segment = this[ROOT]
    subsegment.parent = this
    subsegment.notTraced = this.notTraced
    subsegment.noOp = this.noOp
    if (this.subsegments) this.subsegments.push(subsegment)
    else this.subsegments = [subsegment]
  }

  /**
   * Takes `subsegment` out of this one's `subsegments`. None left, the field becomes undefined,
   * which the document leaves out as the SDK leaves an empty array out.
   */
  removeSubsegment(subsegment: object): void {
    const siblings = this.subsegments
    if (!siblings) return
    const index = siblings.indexOf(subsegment)
    if (index >= 0) siblings.splice(index, 1)
    if (siblings.length === 0) this.subsegments = undefined
  }

  /** Sets `name` to `data` in the document. */
  addAttribute(name: string, data: unknown): void {
    this[name] = data
  }

  /** Sets the `sql` field. */
  addSqlData(sqlData: unknown): void {
    this.sql = sqlData
  }

  /**
   * Adds an annotation, refusing what the SDK refuses (annotations.ts checks more before this).
   */
  addAnnotation(key: string, value: unknown): void {
    if (typeof value !== 'boolean' && typeof value !== 'string' && !isFinite(value as number)) {
      logger().error(
        `Failed to add annotation key: ${key} value: ${String(value)} to subsegment ${this.name}. Value must be of type string, number or boolean.`,
      )
      return
    }
    if (typeof key !== 'string') {
      logger().error(
        `Failed to add annotation key: ${String(key)} value: ${String(value)} to subsegment ${this.name}. Key must be of type string.`,
      )
      return
    }
    const annotations = this.annotations
    if (annotations) annotations[key] = value
    else {
      // Created empty and then set: a computed key in an object literal is a runtime call.
      const created: Record<string, unknown> = {}
      created[key] = value
      this.annotations = created
    }
  }

  /** Adds metadata under `namespace` (default `default`); null and undefined become `''`. */
  addMetadata(key: string, value: unknown, namespace?: string): void {
    if (typeof key !== 'string') {
      logger().error(
        `Failed to add metadata key: ${String(key)} value: ${String(value)} to subsegment ${this.name}. Key must be of type string.`,
      )
      return
    }
    if (namespace && typeof namespace !== 'string') {
      logger().error(
        `Failed to add metadata key: ${key} value: ${String(value)} to subsegment ${this.name}. Namespace must be of type string.`,
      )
      return
    }
    const ns = namespace || 'default'
    if (ns === '__proto__') return
    const metadata = (this.metadata ??= {})
    const entries = (metadata[ns] ??= {})
    entries[key] = value !== null && value !== undefined ? value : ''
  }

  /**
   * Records `err` (an error or a string) as a fault with the exception in `cause`: the SDK's own
   * `addError` (errors are rare; its exception records stay exactly the SDK's), which also refers
   * a subsegment to the exception already recorded below it instead of recording it twice.
   */
  addError(err: unknown, remote?: boolean): void {
    sdkAddError.call(this, err as Error, remote)
  }

  /** Marks a fault (5xx: the dependency's failure). */
  addFaultFlag(): void {
    this.fault = true
  }

  /** Marks an error (4xx: the caller's). */
  addErrorFlag(): void {
    this.error = true
  }

  /** Marks a throttle (429). */
  addThrottleFlag(): void {
    this.throttle = true
  }

  /**
   * Closes the subsegment: its end time, and `err` recorded if given. `in_progress` becomes
   * undefined rather than deleted (a `delete` would make the object a slow dictionary); the
   * document leaves it out all the same. A subsegment directly under the facade is then sent with
   * its tree (invocation-document.ts).
   */
  close(err?: unknown, remote?: boolean): void {
    this.end_time = Date.now() / 1000
    this.in_progress = undefined
    if (err) this.addError(err, remote)
    afterClose(this as unknown as Parameters<typeof afterClose>[0])
  }

  /** Whether the subsegment is closed. */
  isClosed(): boolean {
    return !this.in_progress
  }

  /** Nothing is counted: see the class's comment. */
  incrementCounter(): void {}

  /** Nothing is counted: see the class's comment. */
  decrementCounter(): void {}

  /** The document of this subsegment sent on its own: its type, parent and trace ids set. */
  format(): string {
    this.type = 'subsegment'
    const parent = this[PARENT]
    if (parent) this.parent_id = parent.id
    const root = this[ROOT]
    if (root) this.trace_id = root.trace_id
    return this.serialize()
  }

  /** The subsegment as JSON. */
  toString(): string {
    return this.serialize()
  }

  /**
   * `object` (default: this subsegment) as JSON, without a replacer: only a document holding a
   * BigInt (which JSON.stringify refuses) is stringified again with the SDK's, which writes it as
   * a string.
   */
  serialize(object?: unknown): string {
    const value = object ?? this
    try {
      return JSON.stringify(value)
    } catch (error) {
      if (!(error instanceof TypeError)) throw error
      return JSON.stringify(value, SegmentUtils.getJsonStringifyReplacer())
    }
  }
}

// An AWSXRay.Subsegment for `instanceof` and the SDK methods not written here. `toJSON` is
// shadowed: the SDK's (entity-json.ts) would be called for every subsegment of a document only to
// return it as it is.
Object.setPrototypeOf(Subsegment.prototype, SdkSubsegment.prototype)
Object.defineProperty(Subsegment.prototype, 'toJSON', {
  value: undefined,
  writable: true,
  enumerable: false,
  configurable: true,
})
