import type { FetchLike, OAuthClientProvider } from '@modelcontextprotocol/client'
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/client'

/** What both HTTP transports (streamable HTTP and legacy SSE) are built from. */
export interface HttpTransportOptions {
  /** Sent on every request (auth included); the transport's own headers win on a clash. */
  headers?: Record<string, string>
  /** The SSRF-guarded fetch for user URLs; the global fetch when absent. */
  fetch?: FetchLike
  authProvider?: OAuthClientProvider
}

/**
 * The SDK's streamable HTTP client transport (spec 2025-11-25, "Streamable HTTP"): a POST per
 * message, answered with JSON or an SSE stream, plus an optional GET stream for server
 * notifications. Redirects stay within the URL's origin (the SDK default).
 */
export function createStreamableHttpTransport(
  url: URL,
  options: HttpTransportOptions,
): StreamableHTTPClientTransport {
  return new StreamableHTTPClientTransport(url, {
    requestInit: { headers: { ...options.headers } },
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.authProvider ? { authProvider: options.authProvider } : {}),
  })
}
