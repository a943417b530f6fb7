import { compress } from 'hono/compress'

/**
 * Compresses the API's answers (JSON, the API reference's files) with gzip for clients that take
 * it. A page of tool calls or a long conversation is tens of kilobytes of JSON that shrinks five
 * to ten times, which is most of its time on a slow line (bench/README.md has the numbers); a
 * small answer costs a few microseconds. gzip, not brotli: this runs per request, on the
 * standard CompressionStream. Server-sent events (live events, the chat stream) are left alone:
 * hono's filter skips text/event-stream, since a compressor holds bytes back and would delay
 * every event.
 */
export function compressApi() {
  return compress({ encoding: 'gzip' })
}
