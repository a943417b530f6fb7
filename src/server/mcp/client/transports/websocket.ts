import type { JSONRPCMessage, Transport } from '@modelcontextprotocol/client'
import {
  parseJSONRPCMessage,
  SdkError,
  SdkErrorCode,
  SdkHttpError,
} from '@modelcontextprotocol/client'
import type { RawData, WebSocket } from 'ws'
import type { guardedWebSocketOptions } from '../ssrf-guard.ts'
import { DEFAULT_MAX_MESSAGE_BYTES, ResponseTooLargeError } from './limit-response-size.ts'
import { afterRejections, PendingRequests } from './refusals.ts'

/** `readyState` values (the WebSocket standard's). */
const CONNECTING = 0
const OPEN = 1
const CLOSED = 3

/** The WebSocket subprotocol MCP servers expect (SEP-1288 and the v1 SDK's WebSocket client). */
export const MCP_SUBPROTOCOL = 'mcp'
const CLOSE_GRACE_MS = 1_000
// What ws reports (then closes with 1009) when a message passes `maxPayload`.
const MESSAGE_TOO_LARGE = 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH'

export interface WebSocketTransportOptions {
  /** Sent on the upgrade request (auth included): browsers cannot, but servers read them. */
  headers?: Record<string, string>
  /** For user URLs: the SSRF guard's `lookup` and `followRedirects: false`. */
  socketOptions?: ReturnType<typeof guardedWebSocketOptions>
  /** The most one message may hold (default 10 MB); a larger one closes the socket. */
  maxMessageBytes?: number
}

/**
 * An MCP client transport over a WebSocket (`ws`): subprotocol `mcp`, one JSON-RPC message per
 * text frame, every incoming message validated with the SDK's JSON-RPC schema (invalid ones go
 * to `onerror` and are dropped). A non-101 answer to the upgrade rejects `start()` with an
 * `SdkHttpError` carrying the HTTP status, so it is reported like the HTTP transports' errors.
 * A message over `maxMessageBytes` ends the connection (ws closes it with 1009); the requests
 * still waiting fail at once with a `ResponseTooLargeError`, not as "connection closed".
 * The v2 SDK has no WebSocket client, hence this one.
 */
export function createWebSocketTransport(url: URL, options: WebSocketTransportOptions): Transport {
  return new WebSocketClientTransport(url, options)
}

class WebSocketClientTransport implements Transport {
  onclose?: Transport['onclose']
  onerror?: Transport['onerror']
  onmessage?: Transport['onmessage']
  private socket: WebSocket | undefined
  private started = false
  private closedEarly = false
  private readonly url: URL
  private readonly options: WebSocketTransportOptions
  private readonly pending = new PendingRequests()
  private refusal: ResponseTooLargeError | undefined
  private closed = false

  constructor(url: URL, options: WebSocketTransportOptions) {
    this.url = url
    this.options = options
  }

  async start(): Promise<void> {
    if (this.started) throw new Error('WebSocket transport already started')
    this.started = true
    // Loaded on the first WebSocket server: most instances never connect to one.
    const { WebSocket } = await import('ws')
    if (this.closedEarly) throw new Error('WebSocket transport closed before it started')
    const maxMessageBytes = this.options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES
    const socket = new WebSocket(this.url, MCP_SUBPROTOCOL, {
      headers: { ...this.options.headers },
      maxPayload: maxMessageBytes,
      ...this.options.socketOptions,
    })
    this.socket = socket
    return new Promise((resolve, reject) => {
      let opened = false
      let handshakeError: Error | undefined
      socket.on('unexpected-response', (_request, response) => {
        handshakeError = new SdkHttpError(
          SdkErrorCode.ClientHttpFailedToOpenStream,
          `WebSocket upgrade answered HTTP ${response.statusCode}`,
          {
            status: response.statusCode ?? 0,
            statusText: response.statusMessage ?? '',
            contentType: response.headers['content-type'] ?? '',
          },
        )
        response.resume()
        socket.terminate()
      })
      socket.on('open', () => {
        opened = true
        resolve()
      })
      socket.on('error', (error: Error & { code?: string }) => {
        if (opened && error.code === MESSAGE_TOO_LARGE) {
          this.refuse(new ResponseTooLargeError(maxMessageBytes))
          return
        }
        const reported = handshakeError ?? error
        if (!opened) reject(reported)
        this.onerror?.(reported)
      })
      socket.on('close', () => {
        if (!opened) reject(handshakeError ?? new SdkError(SdkErrorCode.ConnectionClosed, 'closed'))
        this.ended()
      })
      socket.on('message', (data, isBinary) => this.receive(data, isBinary))
    })
  }

  async send(message: JSONRPCMessage): Promise<void> {
    // The connection is going away because of it (until `onclose` lets the pool forget it).
    if (this.refusal) throw this.refusal
    const socket = this.socket
    if (socket?.readyState !== OPEN) {
      throw new SdkError(SdkErrorCode.NotConnected, 'WebSocket is not open')
    }
    await this.pending.send(
      message,
      () =>
        new Promise<void>((resolve, reject) => {
          socket.send(JSON.stringify(message), (error) => (error ? reject(error) : resolve()))
        }),
    )
  }

  async close(): Promise<void> {
    const socket = this.socket
    if (!socket) this.closedEarly = true
    if (!socket || socket.readyState === CLOSED) return
    // Not events.once: it rejects on the 'error' that terminating a handshake emits.
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()))
    if (socket.readyState === CONNECTING) socket.terminate()
    else socket.close(1000)
    // A server that never answers the close frame must not hold us: drop the socket.
    const timer = setTimeout(() => socket.terminate(), CLOSE_GRACE_MS)
    await closed.finally(() => clearTimeout(timer))
  }

  /**
   * ws closes the socket after a message over `maxPayload` (1009), but its 'close' may wait up to
   * 30 s for the server's close frame: report the end as soon as the waiting requests have
   * failed with the refusal, so the next call gets a fresh connection.
   */
  private refuse(error: ResponseTooLargeError): void {
    this.refusal = error
    this.pending.refuse(error)
    this.onerror?.(error)
    afterRejections(() => this.ended())
  }

  private ended(): void {
    if (this.closed) return
    this.closed = true
    this.pending.close()
    this.onclose?.()
  }

  private receive(data: RawData, isBinary: boolean): void {
    if (isBinary) {
      this.onerror?.(new Error('the server sent a binary WebSocket frame; MCP uses text frames'))
      return
    }
    let message: JSONRPCMessage
    try {
      message = parseJSONRPCMessage(JSON.parse(rawToText(data)))
    } catch (error) {
      this.onerror?.(error instanceof Error ? error : new Error(String(error)))
      return
    }
    this.pending.received(message)
    this.onmessage?.(message)
  }
}

function rawToText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8')
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8')
  return Buffer.from(data).toString('utf8')
}
