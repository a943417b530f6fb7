import { compress } from 'hono/compress'
import { createMiddleware } from 'hono/factory'

/**
 * Compresses the API's answers to reads (JSON, the API reference's files) with gzip for clients
 * that take it. A page of tool calls or a long conversation is tens of kilobytes of JSON that
 * shrinks five to ten times, which is most of its time on a slow line (bench/README.md has the
 * numbers). gzip, not brotli: this runs per request, on the standard CompressionStream.
 *
 * Answers to writes are sent as they are: they are small (a saved row, a call's result) and on
 * the path of every tool call, where the compressor's web streams cost more than the bytes save
 * (the proxy's throughput at 8 clients went from ~245 to ~340 calls/s without it). Server-sent
 * events (live events, the chat stream) are left alone: hono's filter skips text/event-stream,
 * since a compressor holds bytes back and would delay every event.
 */
export function compressApi() {
  const gzip = compress({ encoding: 'gzip' })
  return createMiddleware((c, next) => (c.req.method === 'GET' ? gzip(c, next) : next()))
}
