/**
 * How much one message from an MCP server may hold, so that no server can exhaust memory: the
 * SDK would otherwise buffer whatever a hostile server sends. HTTP answers are counted as they
 * are read (request-as-response.ts), stdio and WebSocket messages by their transports.
 *
 * @module
 */

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
