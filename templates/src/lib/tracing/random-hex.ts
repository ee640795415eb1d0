import { randomFillSync } from 'node:crypto'

/**
 * Random bytes from the system's CSPRNG, drawn from a pool refilled 4 kB at a time. The SDK asks
 * `crypto.randomBytes(8)` for every subsegment id: one system call each, some microseconds apiece,
 * nine of them per invocation of a handler with four dependency calls. The pool makes it one call
 * per 512 ids, as Node's own `randomUUID` does; the bytes are the same kind of random.
 */

const POOL_BYTES = 4096

const pool = Buffer.allocUnsafe(POOL_BYTES)
let offset = POOL_BYTES

/**
 * `bytes` random bytes (at most 4096) as lowercase hexadecimal: `2 * bytes` characters.
 *
 * @example
 * ```ts
 * randomHex(8) // '53995c3f42cd8ad8', a subsegment id
 * ```
 */
export function randomHex(bytes: number): string {
  if (offset + bytes > POOL_BYTES) {
    randomFillSync(pool)
    offset = 0
  }
  const hex = pool.toString('hex', offset, offset + bytes)
  offset += bytes
  return hex
}
