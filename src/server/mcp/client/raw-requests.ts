import type {
  Client,
  JSONRPCMessage,
  ProgressNotificationParams,
  ProgressToken,
} from '@modelcontextprotocol/client'
import {
  isJSONRPCErrorResponse,
  isJSONRPCNotification,
  isJSONRPCResultResponse,
} from '@modelcontextprotocol/client'
import type { JsonRpcResponse } from '@modelcontextprotocol/ext-tasks/client'
import { McpTimeoutError } from './upstream-errors.ts'

export interface RawRequest {
  method: string
  params?: Record<string, unknown>
}

/** The shape `@modelcontextprotocol/ext-tasks` dispatches with. */
export type RawResponse = JsonRpcResponse

export interface RawRequestOptions {
  /** Without an answer (or progress, with `resetTimeoutOnProgress`) for this long, it fails. */
  timeoutMs?: number
  resetTimeoutOnProgress?: boolean
}

/**
 * Requests sent on a connected client's transport, around the SDK's request layer, for what
 * that layer refuses to read: a 2026-07-28 `tools/call` answered with a task
 * (`resultType: "task"`, the `io.modelcontextprotocol/tasks` extension). The caller frames the
 * request (`_meta` protocol version and capabilities); the transport derives the HTTP headers
 * from it. Answers and progress notifications for these requests are taken off the transport
 * before the SDK sees them; everything else passes through.
 *
 * A request is not abandoned when its caller stops waiting: only its answer or its timeout ends
 * it, so a task the server creates after the caller gave up is still seen (and cancelled).
 */
export interface RawRequests {
  send(request: RawRequest, options?: RawRequestOptions): Promise<RawResponse>
  /** Progress notifications carrying `token`, until the returned function is called. */
  onProgress(
    token: ProgressToken,
    listener: (progress: ProgressNotificationParams) => void,
  ): () => void
}

/** Our ids are strings the SDK (numeric ids) never uses. */
const ID_PREFIX = 'switchboard-raw-'

/** Attaches to `client`'s transport; call once, after `connect`. */
export function attachRawRequests(client: Client): RawRequests {
  const transport = client.transport
  if (!transport) throw new Error('the client is not connected')
  const pending = new Map<string, Pending>()
  const progressListeners = new Map<ProgressToken, (progress: ProgressNotificationParams) => void>()
  let closed = false
  let next = 0

  const passOn = transport.onmessage
  transport.onmessage = (message: JSONRPCMessage, extra?: unknown) => {
    if (isJSONRPCResultResponse(message) || isJSONRPCErrorResponse(message)) {
      const waiting = typeof message.id === 'string' ? pending.get(message.id) : undefined
      if (waiting) {
        waiting.settle(
          isJSONRPCResultResponse(message)
            ? { kind: 'result', result: message.result as RawResult }
            : { kind: 'error', error: message.error as RawError },
        )
        return
      }
    }
    if (isJSONRPCNotification(message) && message.method === 'notifications/progress') {
      const params = message.params as ProgressNotificationParams | undefined
      const listener = params && progressListeners.get(params.progressToken)
      if (listener && params) {
        for (const request of pending.values())
          if (request.progressToken === params.progressToken) request.touch()
        listener(params)
        return
      }
    }
    ;(passOn as ((message: JSONRPCMessage, extra?: unknown) => void) | undefined)?.(message, extra)
  }
  const passOnClose = transport.onclose
  transport.onclose = () => {
    closed = true
    for (const request of pending.values()) request.fail(new Error('the connection closed'))
    passOnClose?.()
  }

  return {
    send(request, options = {}) {
      if (closed) return Promise.reject(new Error('the connection closed'))
      const id = `${ID_PREFIX}${next++}`
      const progressToken = (request.params?._meta as { progressToken?: ProgressToken } | undefined)
        ?.progressToken
      return new Promise<RawResponse>((resolve, reject) => {
        let timer: NodeJS.Timeout | undefined
        const arm = () => {
          if (options.timeoutMs === undefined) return
          clearTimeout(timer)
          const ms = options.timeoutMs
          timer = setTimeout(() => finish(() => reject(new McpTimeoutError(ms))), ms)
        }
        const finish = (then: () => void) => {
          if (!pending.delete(id)) return
          clearTimeout(timer)
          then()
        }
        pending.set(id, {
          ...(progressToken !== undefined ? { progressToken } : {}),
          settle: (response) => finish(() => resolve(response)),
          fail: (error) => finish(() => reject(error)),
          touch: () => {
            if (options.resetTimeoutOnProgress) arm()
          },
        })
        arm()
        transport
          .send({ jsonrpc: '2.0', id, ...request } as JSONRPCMessage)
          .catch((error: unknown) => finish(() => reject(error)))
      })
    },
    onProgress(token, listener) {
      progressListeners.set(token, listener)
      return () => progressListeners.delete(token)
    },
  }
}

type RawResult = Extract<RawResponse, { kind: 'result' }>['result']
type RawError = Extract<RawResponse, { kind: 'error' }>['error']

interface Pending {
  progressToken?: ProgressToken
  settle(response: RawResponse): void
  fail(error: unknown): void
  touch(): void
}
