import type { FetchLike } from '@modelcontextprotocol/client'

/** What an MCP server may send in one JSON reply or one SSE event, by default. */
export const DEFAULT_MAX_MESSAGE_BYTES = 10 * 1024 * 1024

/**
 * Thrown (as the body stream's error, or by a transport) when a server sends more than the limit
 * in one message. `sentBytes` when the server declared the size; otherwise counting stopped at
 * the limit. The transports fail the request the message answered with it, at once.
 */
export class ResponseTooLargeError extends Error {
  override name = 'ResponseTooLargeError'
  constructor(
    readonly limitBytes: number,
    readonly sentBytes?: number,
  ) {
    const sent =
      sentBytes === undefined ? `more than ${megabytes(limitBytes)}` : megabytes(sentBytes)
    super(
      `the result is too large: the server sent ${sent} in one message, the limit is ` +
        `${megabytes(limitBytes)}; ask the tool for less, or ask the operator to raise ` +
        'toolCalls.maxResultBytes',
    )
  }
}

// A result is measured as `capOutput` serializes it; on the wire the same result carries the
// JSON-RPC envelope, SSE framing, fields we drop (`_meta`) and may be escaped more (`\u00e9` is
// 6 bytes where we count 2). Twice the result cap lets a result a little over it arrive whole, to
// be truncated as documented, while one message still costs at most twice what the operator
// agreed to keep.
const RESULT_OVERHEAD_FACTOR = 2

/**
 * The most one message may hold when results may be `maxResultBytes` (`toolCalls`): 10 MB, or
 * twice the result cap when that is more.
 */
export function messageCapFor(maxResultBytes: number): number {
  return Math.max(DEFAULT_MAX_MESSAGE_BYTES, RESULT_OVERHEAD_FACTOR * maxResultBytes)
}

/** 10485760 -> "10 MB", 5000000 -> "4.8 MB". */
export function megabytes(bytes: number): string {
  return `${Number((bytes / 1024 / 1024).toFixed(1))} MB`
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
      throw new ResponseTooLargeError(maxBytes, declared)
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
