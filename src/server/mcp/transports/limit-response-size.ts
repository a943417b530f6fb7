import type { FetchLike } from '@modelcontextprotocol/client'

/** What an MCP server may send in one JSON reply or one SSE event, by default. */
export const DEFAULT_MAX_MESSAGE_BYTES = 10 * 1024 * 1024

/** Thrown (as the body stream's error) when a server sends more than the limit in one message. */
export class ResponseTooLargeError extends Error {
  override name = 'ResponseTooLargeError'
  constructor(readonly limitBytes: number) {
    super(`the server sent a message over ${Math.round(limitBytes / 1024 / 1024)} MB: refused`)
  }
}

/**
 * Wraps fetch so no single message from a server can exhaust memory: a JSON body, or one event of
 * an SSE stream, may not exceed `maxBytes`. The SDK would otherwise buffer whatever a hostile
 * server sends. (The guarded fetch of untrusted servers counts the same way as it reads.)
 */
export function limitResponseSize(
  fetch: FetchLike,
  maxBytes = DEFAULT_MAX_MESSAGE_BYTES,
): FetchLike {
  return async (input, init) => {
    const response = await fetch(input, init)
    if (!response.body) return response
    const isStream = isEventStream(response.headers)
    const declared = Number(response.headers.get('content-length') ?? Number.NaN)
    if (!isStream && declared > maxBytes) {
      await response.body.cancel().catch(() => {})
      throw new ResponseTooLargeError(maxBytes)
    }
    const count = countMessageBytes(maxBytes, isStream)
    const body = response.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          count(chunk)
          controller.enqueue(chunk)
        },
      }),
    )
    return new Response(body, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    })
  }
}

export function isEventStream(headers: Headers): boolean {
  return (headers.get('content-type') ?? '').includes('text/event-stream')
}

/**
 * A counter that throws `ResponseTooLargeError` once one message passes `maxBytes`: the whole
 * body, or with `perSseEvent` each SSE event (bytes between blank lines, so a long-lived stream
 * of small events is fine).
 */
export function countMessageBytes(
  maxBytes: number,
  perSseEvent: boolean,
): (chunk: Uint8Array) => void {
  let size = 0
  let previous = -1
  return (chunk) => {
    if (!perSseEvent) {
      size += chunk.byteLength
    } else {
      for (const byte of chunk) {
        // "\n\n" ends an SSE event (a "\r\n\r\n" ends with "\n" after "\r", treated alike)
        if (byte === 0x0a && (previous === 0x0a || previous === 0x0d)) size = 0
        else if (byte !== 0x0d) size += 1
        if (byte !== 0x0d) previous = byte
      }
    }
    if (size > maxBytes) throw new ResponseTooLargeError(maxBytes)
  }
}
