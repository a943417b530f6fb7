import type { Middleware } from '@modelcontextprotocol/client'
import { reasonOf } from '../../../shared/error-reasons.ts'
import { normalizeMethod } from './request-as-response.ts'
import { SsrfError } from './ssrf-guard.ts'

const DEFAULT_MAX_REDIRECTS = 5
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308])
// Fetch standard "request-body-header name": dropped when a redirect turns the request into a GET.
const REQUEST_BODY_HEADERS = [
  'content-encoding',
  'content-language',
  'content-location',
  'content-type',
]
// Headers that carry no credentials. Users' servers authenticate with arbitrary headers
// (X-Api-Key, …), so on a cross-origin redirect everything else is dropped, not just the
// Authorization header the Fetch standard drops.
const CROSS_ORIGIN_SAFE_HEADERS = new Set([
  'accept',
  'accept-language',
  'content-language',
  'content-type',
  'user-agent',
  'mcp-protocol-version',
])

interface Hop {
  url: string
  method: string
  headers: Headers
  body: BodyInit | null
  redirect: RequestRedirect
  signal: AbortSignal | null
}

/**
 * Follows redirects as fetch does, but one hop at a time through `next`, so every middleware
 * below (the SSRF guard's URL check) sees each `Location`: at most `maxRedirects` (default 5),
 * http(s) only, 303 (and POST on 301/302) become GET, 307/308 keep method and body, and a
 * cross-origin hop drops every header that may carry credentials. `redirect: 'manual'` returns
 * the redirect (the SDK's transports ask for it and follow within the origin themselves) and
 * `'error'` throws, as in fetch. Refusals reject with `SsrfError`.
 */
export function followRedirects(options: { maxRedirects?: number } = {}): Middleware {
  const maxRedirects = options.maxRedirects ?? DEFAULT_MAX_REDIRECTS
  return (next) => async (input, init) => {
    let hop = firstHop(input, init)
    for (let redirects = 0; ; redirects += 1) {
      const { url, redirect: _, ...hopInit } = hop
      const response = await next(url, { ...hopInit, redirect: 'manual' })
      const location = response.headers.get('location')
      if (!REDIRECT_STATUSES.has(response.status) || location === null) return response
      if (hop.redirect === 'manual') return response
      await response.body?.cancel()
      // Name the host only: paths and queries (OAuth codes, tokens) do not belong in errors.
      const { host } = new URL(hop.url)
      if (hop.redirect === 'error') throw new TypeError(`${host} redirected (redirect: 'error')`)
      if (redirects >= maxRedirects) {
        throw new SsrfError(
          'too_many_redirects',
          `${host} redirected more than ${maxRedirects} times; check the server URL`,
          reasonOf('upstream.ssrf.tooManyRedirects', { host, max: maxRedirects }),
        )
      }
      hop = nextHop(hop, response.status, location)
    }
  }
}

function firstHop(input: string | URL, init: RequestInit = {}): Hop {
  return {
    url: String(input),
    method: normalizeMethod(init.method ?? 'GET'),
    headers: new Headers(init.headers),
    body: init.body ?? null,
    redirect: init.redirect ?? 'follow',
    signal: init.signal ?? null,
  }
}

/** The request for the next hop, per the Fetch standard's "HTTP-redirect fetch" (§4.4). */
function nextHop(hop: Hop, status: number, location: string): Hop {
  const from = new URL(hop.url)
  let to: URL
  try {
    to = new URL(location, from)
  } catch {
    throw new SsrfError(
      'invalid_url',
      `${from.host} redirected to an invalid URL`,
      reasonOf('upstream.url.redirectInvalid', { host: from.host }),
    )
  }
  if (to.protocol !== 'http:' && to.protocol !== 'https:') {
    throw new SsrfError(
      'invalid_url',
      `fetch follows only http and https URLs, not ${to.protocol}`,
      reasonOf('upstream.url.scheme', { scheme: to.protocol }),
    )
  }
  const headers = new Headers(hop.headers)
  let { method, body } = hop
  const becomesGet =
    (status === 303 && method !== 'GET' && method !== 'HEAD') ||
    ((status === 301 || status === 302) && method === 'POST')
  if (becomesGet) {
    method = 'GET'
    body = null
    for (const name of REQUEST_BODY_HEADERS) headers.delete(name)
  } else if (body instanceof ReadableStream) {
    throw new TypeError(`cannot replay a streamed request body on a ${status} redirect`)
  }
  if (to.origin !== from.origin) {
    for (const name of [...headers.keys()]) {
      if (!CROSS_ORIGIN_SAFE_HEADERS.has(name)) headers.delete(name)
    }
  }
  return { ...hop, url: to.href, method, headers, body }
}
