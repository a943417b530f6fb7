import type { JSONRPCMessage, Transport } from '@modelcontextprotocol/client'
import {
  parseJSONRPCMessage,
  SdkError,
  SdkErrorCode,
  SdkHttpError,
} from '@modelcontextprotocol/client'
import type { RawData } from 'ws'
import { WebSocket } from 'ws'
import type { guardedWebSocketOptions } from '../ssrf-guard.ts'

/** The WebSocket subprotocol MCP servers expect (SEP-1288 and the v1 SDK's WebSocket client). */
export const MCP_SUBPROTOCOL = 'mcp'
/** Same bound as the SDK's stdio read buffer: one message larger than this closes the socket. */
const MAX_MESSAGE_BYTES = 10 * 1024 * 1024
const CLOSE_GRACE_MS = 1_000

export interface WebSocketTransportOptions {
  /** Sent on the upgrade request (auth included): browsers cannot, but servers read them. */
  headers?: Record<string, string>
  /** For user URLs: the SSRF guard's `lookup` and `followRedirects: false`. */
  socketOptions?: ReturnType<typeof guardedWebSocketOptions>
}

/**
 * An MCP client transport over a WebSocket (`ws`): subprotocol `mcp`, one JSON-RPC message per
 * text frame, every incoming message validated with the SDK's JSON-RPC schema (invalid ones go
 * to `onerror` and are dropped). A non-101 answer to the upgrade rejects `start()` with an
 * `SdkHttpError` carrying the HTTP status, so it is reported like the HTTP transports' errors.
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
  private readonly url: URL
  private readonly options: WebSocketTransportOptions

  constructor(url: URL, options: WebSocketTransportOptions) {
    this.url = url
    this.options = options
  }

  start(): Promise<void> {
    if (this.socket) throw new Error('WebSocket transport already started')
    const socket = new WebSocket(this.url, MCP_SUBPROTOCOL, {
      headers: { ...this.options.headers },
      maxPayload: MAX_MESSAGE_BYTES,
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
      socket.on('error', (error) => {
        const reported = handshakeError ?? error
        if (!opened) reject(reported)
        this.onerror?.(reported)
      })
      socket.on('close', () => {
        if (!opened) reject(handshakeError ?? new SdkError(SdkErrorCode.ConnectionClosed, 'closed'))
        this.onclose?.()
      })
      socket.on('message', (data, isBinary) => this.receive(data, isBinary))
    })
  }

  async send(message: JSONRPCMessage): Promise<void> {
    const socket = this.socket
    if (socket?.readyState !== WebSocket.OPEN) {
      throw new SdkError(SdkErrorCode.NotConnected, 'WebSocket is not open')
    }
    await new Promise<void>((resolve, reject) => {
      socket.send(JSON.stringify(message), (error) => (error ? reject(error) : resolve()))
    })
  }

  async close(): Promise<void> {
    const socket = this.socket
    if (!socket || socket.readyState === WebSocket.CLOSED) return
    // Not events.once: it rejects on the 'error' that terminating a handshake emits.
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()))
    if (socket.readyState === WebSocket.CONNECTING) socket.terminate()
    else socket.close(1000)
    // A server that never answers the close frame must not hold us: drop the socket.
    const timer = setTimeout(() => socket.terminate(), CLOSE_GRACE_MS)
    await closed.finally(() => clearTimeout(timer))
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
    this.onmessage?.(message)
  }
}

function rawToText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8')
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8')
  return Buffer.from(data).toString('utf8')
}
