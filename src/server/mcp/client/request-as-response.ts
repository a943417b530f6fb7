import type { IncomingHttpHeaders } from 'node:http'
import type { Readable } from 'node:stream'
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib'
import type { FetchLike } from '@modelcontextprotocol/client'
import { type Dispatcher, request } from 'undici'
import {
  countMessageBytes,
  isEventStream,
  ResponseTooLargeError,
} from './transports/limit-response-size.ts'

/** Statuses whose responses have no body, per the Fetch standard. */
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304])
// Fetch normalizes only these method names; others are case-sensitive.
const NORMALIZED_METHODS = new Set(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT'])

export interface ExchangeInit {
  method: string
  headers: Headers
  body: BodyInit | null
  signal?: AbortSignal | null | undefined
  /** The most one message may hold: a non-SSE body, or one event of an SSE stream. */
  maxMessageBytes: number
}

/**
 * The innermost fetch of the upstream HTTP stack: each call is one `requestAsResponse` through
 * `dispatcher`, whose messages may hold `maxMessageBytes`. It never follows redirects (the
 * `followRedirects` middleware above it does).
 */
export function fetchThrough(dispatcher: Dispatcher, maxMessageBytes: number): FetchLike {
  // The middlewares above hand on a URL and Headers already: no copies per request.
  return (input, init = {}) =>
    requestAsResponse(
      input instanceof URL ? input : new URL(input),
      {
        method: normalizeMethod(init.method ?? 'GET'),
        headers: init.headers instanceof Headers ? init.headers : new Headers(init.headers),
        body: init.body ?? null,
        signal: init.signal,
        maxMessageBytes,
      },
      dispatcher,
    )
}

/** `method` as fetch sends it: the standard names upper-cased, any other left alone. */
export function normalizeMethod(method: string): string {
  const upper = method.toUpperCase()
  return NORMALIZED_METHODS.has(upper) ? upper : method
}

/**
 * One HTTP exchange through undici's dispatcher API, answered as a web `Response` the MCP SDK
 * can read. It does what our callers need of `fetch` (no redirects: the caller follows them
 * itself) at a fraction of its cost: undici's `fetch` runs the whole Fetch standard per request
 * (Request objects, header guards, body extraction, several web streams), which was the largest
 * block of the proxy's CPU profile. The body becomes one web stream, with the message size cap
 * counted in the same pass, after decompression (so a compressed bomb is caught too).
 * Failures reject like fetch: `TypeError('fetch failed', { cause })`, or the abort reason.
 */
export async function requestAsResponse(
  url: URL,
  init: ExchangeInit,
  dispatcher: Dispatcher,
): Promise<Response> {
  const { body, contentType } = await encodeBody(init.body)
  const headers: Record<string, string> = { accept: '*/*', 'user-agent': 'switchboard' }
  if (contentType) headers['content-type'] = contentType
  for (const [name, value] of init.headers) headers[name] = value
  let answer: Dispatcher.ResponseData
  try {
    answer = await request(url, {
      method: init.method as Dispatcher.HttpMethod,
      headers,
      body,
      dispatcher,
      ...(init.signal ? { signal: init.signal } : {}),
    })
  } catch (error) {
    if (init.signal?.aborted) throw init.signal.reason ?? error
    throw new TypeError('fetch failed', { cause: error })
  }
  const responseHeaders = toHeaders(answer.headers)
  const status = answer.statusCode
  if (NULL_BODY_STATUSES.has(status) || init.method === 'HEAD') {
    answer.body.dump().catch(() => undefined)
    return new Response(null, { status, headers: responseHeaders })
  }
  const isStream = isEventStream(responseHeaders)
  const declared = Number(responseHeaders.get('content-length') ?? Number.NaN)
  if (!isStream && declared > init.maxMessageBytes) {
    answer.body.destroy()
    throw new ResponseTooLargeError(init.maxMessageBytes, declared)
  }
  const decoded = decode(answer.body, responseHeaders)
  const stream = toWebStream(decoded, countMessageBytes(init.maxMessageBytes, isStream))
  return new Response(stream, { status, headers: responseHeaders })
}

/**
 * The bytes to send: strings and byte arrays as they are; anything else (URLSearchParams of an
 * OAuth token request, a Blob, a stream) serialized the way fetch would, with its content type.
 */
async function encodeBody(
  body: BodyInit | null,
): Promise<{ body: string | Uint8Array | null; contentType?: string }> {
  if (body === null || typeof body === 'string' || body instanceof Uint8Array) return { body }
  if (body instanceof ArrayBuffer) return { body: new Uint8Array(body) }
  const serialized = new Response(body)
  const contentType = serialized.headers.get('content-type')
  return {
    body: new Uint8Array(await serialized.arrayBuffer()),
    ...(contentType ? { contentType } : {}),
  }
}

function toHeaders(raw: IncomingHttpHeaders): Headers {
  const headers = new Headers()
  for (const [name, value] of Object.entries(raw)) {
    if (Array.isArray(value)) for (const item of value) headers.append(name, item)
    else if (value !== undefined) headers.append(name, value)
  }
  return headers
}

/** Undoes a Content-Encoding we can read (we never ask for one, but a server may send it). */
function decode(body: Readable, headers: Headers): Readable {
  const encoding = headers.get('content-encoding')?.trim().toLowerCase()
  const decoder =
    encoding === 'gzip' || encoding === 'x-gzip'
      ? createGunzip()
      : encoding === 'deflate'
        ? createInflate()
        : encoding === 'br'
          ? createBrotliDecompress()
          : null
  if (!decoder) return body
  headers.delete('content-encoding')
  headers.delete('content-length')
  body.on('error', (error) => decoder.destroy(error))
  return body.pipe(decoder)
}

/** The Node body as a web byte stream, with back-pressure; `count` may reject a chunk. */
function toWebStream(
  body: Readable,
  count: (chunk: Uint8Array) => void,
): ReadableStream<Uint8Array> {
  let settled = false
  return new ReadableStream<Uint8Array>({
    start(controller) {
      const fail = (error: unknown) => {
        if (settled) return
        settled = true
        controller.error(error)
      }
      body.on('data', (chunk: Buffer) => {
        if (settled) return
        try {
          count(chunk)
        } catch (error) {
          fail(error)
          body.destroy()
          return
        }
        controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength))
        if ((controller.desiredSize ?? 0) <= 0) body.pause()
      })
      body.once('end', () => {
        if (settled) return
        settled = true
        controller.close()
      })
      // as fetch reports a body cut short
      body.once('error', (error) => fail(new TypeError('terminated', { cause: error })))
    },
    pull() {
      body.resume()
    },
    cancel() {
      settled = true
      body.destroy()
    },
  })
}
