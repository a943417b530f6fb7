/**
 * Failing requests at once when the message answering them is refused for its size.
 *
 * The SDK's `Protocol` settles a request only when its response arrives, the connection closes
 * (with a bare "connection closed") or the timeout runs out. A message we refuse never arrives:
 * over a streamable HTTP SSE answer the SDK only logs the cut stream, so the call waited for its
 * timeout; over a connection that the refusal ends (legacy SSE, WebSocket, stdio) it failed as
 * "connection closed", which reads as an outage. The one path the SDK offers to hand a request
 * an error of ours is the promise `send` returns for it (`Protocol` rejects the request with
 * it), so the transports keep that promise open while the request may still be refused.
 *
 * @module
 */
import type { JSONRPCMessage, RequestId, Transport } from '@modelcontextprotocol/client'
import { NotMcpError } from '../upstream-errors.ts'
import { ResponseTooLargeError } from './limit-response-size.ts'

interface Waiter {
  resolve(): void
  reject(error: Error): void
}

/**
 * The requests sent on one connection and not answered yet, for transports where a refused
 * message ends the connection: every request still waiting fails with the refusal.
 */
export class PendingRequests {
  private readonly waiting = new Map<RequestId, Waiter>()

  /**
   * Call before writing `message`, and await what it returns after writing it (the answer may
   * come first): for a request, settles when it is answered or cancelled or the connection ends,
   * and rejects with the refusal if a message is refused before then.
   */
  private track(message: JSONRPCMessage): Promise<void> {
    if (isCancelled(message)) this.settle(message.params.requestId)
    if (!isRequest(message)) return Promise.resolve()
    const { id } = message
    const settled = new Promise<void>((resolve, reject) =>
      this.waiting.set(id, { resolve, reject }),
    )
    // Nobody awaits it when writing the request failed after a refusal.
    settled.catch(() => undefined)
    return settled
  }

  /**
   * Writes `message` with `write` and, when it is a request, resolves once it is answered (the
   * SDK then has the answer) or rejects with the refusal of the message that answered it.
   */
  async send(message: JSONRPCMessage, write: () => Promise<void>): Promise<void> {
    const settled = this.track(message)
    try {
      await write()
    } catch (error) {
      this.forget(message)
      throw error
    }
    await settled
  }

  /** Writing `message` failed: its error is the request's, nothing is waited for. */
  private forget(message: JSONRPCMessage): void {
    if (isRequest(message)) this.settle(message.id)
  }

  /** An incoming message: a response settles its request. */
  received(message: JSONRPCMessage): void {
    if (isResponse(message)) this.settle(message.id)
  }

  /** Fails every request still waiting with `error`. */
  refuse(error: Error): void {
    const waiters = [...this.waiting.values()]
    this.waiting.clear()
    for (const waiter of waiters) waiter.reject(error)
  }

  /** The connection ended: the SDK fails what is left. */
  close(): void {
    const waiters = [...this.waiting.values()]
    this.waiting.clear()
    for (const waiter of waiters) waiter.resolve()
  }

  private settle(id: RequestId | undefined): void {
    if (id === undefined) return
    this.waiting.get(id)?.resolve()
    this.waiting.delete(id)
  }
}

/**
 * Hands the SDK's transport callbacks a refusal only after the requests it failed have been
 * rejected: `Protocol` rejects them from a `.catch` on `send` (a later microtask), while its
 * `onclose` fails everything still open with "connection closed" synchronously.
 */
export function afterRejections(fn: () => void): void {
  setImmediate(fn)
}

/**
 * A copy of an HTTP response body that reports how it ended: `ended` resolves when it ends or
 * fails for any other reason, and rejects with the `ResponseTooLargeError` the size cap raised,
 * or the `NotMcpError` of an answer that is not MCP (`onRefused` runs first). After a refusal the copy stays open and says nothing more: a reader
 * that saw it fail or end would reconnect, and the SDK resumes an SSE answer with Last-Event-ID,
 * so a server that keeps its events would send the refused message again, forever.
 */
export function watchBody(
  body: ReadableStream<Uint8Array>,
  onRefused: (error: ResponseTooLargeError | NotMcpError) => void = () => {},
): { body: ReadableStream<Uint8Array>; ended: Promise<void> } {
  let settle = () => {}
  let fail: (error: Error) => void = () => {}
  const ended = new Promise<void>((resolve, reject) => {
    settle = resolve
    fail = reject
  })
  ended.catch(() => undefined)
  const reader = body.getReader()
  let refused = false
  const copy = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (refused) return
      let chunk: ReadableStreamReadResult<Uint8Array>
      try {
        chunk = await reader.read()
      } catch (error) {
        if (error instanceof ResponseTooLargeError || error instanceof NotMcpError) {
          refused = true
          onRefused(error)
          fail(error)
          return
        }
        settle()
        controller.error(error)
        return
      }
      if (chunk.done) {
        settle()
        controller.close()
      } else controller.enqueue(chunk.value)
    },
    cancel(reason) {
      settle()
      return reader.cancel(reason)
    },
  })
  return { body: copy, ended }
}

/**
 * Lets `observe` see every message and error an SDK transport reports before whoever listens
 * does, and makes its `onclose` run at most once (so a transport may report its end early, once
 * the requests a refusal failed have been rejected, and the SDK's own report later is dropped).
 * The listeners change hands (the client's version-negotiation window installs its own and later
 * gives the callbacks back), so these callbacks become accessors: whatever is set is kept as the
 * listener, and reading them gives a function that observes, then calls it. `observe.error` may
 * return another error to report instead.
 */
export function observeTransport(
  transport: Transport,
  observe: {
    message(message: JSONRPCMessage): void
    error?(error: Error): Error
  },
): void {
  interceptCallback<NonNullable<Transport['onmessage']>>(
    transport,
    'onmessage',
    (listener) => (message, extra) => {
      observe.message(message)
      listener(message, extra)
    },
  )
  const mapError = observe.error ?? ((error: Error) => error)
  interceptCallback<NonNullable<Transport['onerror']>>(
    transport,
    'onerror',
    (listener) => (error) => listener(mapError(error)),
  )
  let closed = false
  interceptCallback<NonNullable<Transport['onclose']>>(transport, 'onclose', (listener) => () => {
    if (closed) return
    closed = true
    listener()
  })
}

function interceptCallback<F extends (...args: never[]) => void>(
  transport: Transport,
  name: 'onmessage' | 'onerror' | 'onclose',
  wrap: (listener: F) => F,
): void {
  const wrappers = new WeakSet<F>()
  let current: F | undefined
  Object.defineProperty(transport, name, {
    configurable: true,
    enumerable: true,
    get: () => current,
    set: (value: F | undefined) => {
      // Giving back what was read earlier restores it as it was, not a wrapper of a wrapper.
      if (value === undefined || wrappers.has(value)) {
        current = value
        return
      }
      current = wrap(value)
      wrappers.add(current)
    },
  })
}

// Plain shape checks: the SDK's guards parse the whole message with zod, a second time.
export function isRequest(message: JSONRPCMessage): message is JSONRPCMessage & { id: RequestId } {
  return 'method' in message && 'id' in message && message.id !== undefined
}

function isResponse(message: JSONRPCMessage): message is JSONRPCMessage & { id: RequestId } {
  return 'id' in message && !('method' in message)
}

function isCancelled(
  message: JSONRPCMessage,
): message is JSONRPCMessage & { params: { requestId?: RequestId } } {
  return (
    'method' in message &&
    message.method === 'notifications/cancelled' &&
    !('id' in message) &&
    typeof message.params === 'object'
  )
}
