import dgram from 'node:dgram'
import SegmentEmitter from 'aws-xray-sdk-core/dist/lib/segment_emitter'
import { logger } from './logger'

/**
 * The UDP socket documents go to the X-Ray daemon on. In Lambda mode the SDK opens a new socket
 * for every batch of sends and closes it afterwards: a socket, a bind and a close per document.
 * One socket, opened on the first send and kept for the life of the execution environment, does
 * the same work once. It is unref'd, so it never keeps the process alive; a socket that fails is
 * dropped and the next send opens a new one.
 */

/** The daemon protocol's header line, before every document. */
const PROTOCOL_HEADER = '{"format":"json","version":1}\n'

/** Largest UDP payload over IPv4: a datagram over it cannot be sent at all. */
export const MAX_DATAGRAM_BYTES = 65_507

let socket: dgram.Socket | undefined

function openSocket(): dgram.Socket {
  const opened = dgram.createSocket('udp4')
  opened.unref()
  opened.on('error', (error) => {
    logger.error('X-Ray daemon socket failed; the next document opens a new one', error)
    if (socket === opened) socket = undefined
    opened.close()
  })
  return opened
}

/**
 * The datagram that carries `document` (a serialized segment or subsegment) to the daemon.
 *
 * @example
 * ```ts
 * const datagram = daemonDatagram(subsegment.format())
 * if (datagram.length <= MAX_DATAGRAM_BYTES) sendDatagram(datagram)
 * ```
 */
export function daemonDatagram(document: string): Buffer {
  return Buffer.from(PROTOCOL_HEADER + document)
}

/**
 * Sends one datagram to the daemon at the address the SDK read from `AWS_XRAY_DAEMON_ADDRESS`
 * (Lambda sets it). Errors are logged, never thrown: tracing must not fail a request.
 *
 * @example
 * ```ts
 * sendDatagram(daemonDatagram(subsegment.format()))
 * ```
 */
export function sendDatagram(datagram: Buffer): void {
  socket ??= openSocket()
  socket.send(datagram, SegmentEmitter.getPort(), SegmentEmitter.getIp(), (error) => {
    if (error) logger.error(`X-Ray document not sent (${datagram.length} bytes)`, error)
  })
}
