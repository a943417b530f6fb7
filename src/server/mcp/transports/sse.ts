import type { FetchLike } from '@modelcontextprotocol/client'
import { SdkError, SdkErrorCode, SSEClientTransport, SseError } from '@modelcontextprotocol/client'
import type { HttpTransportOptions } from './streamable-http.ts'

/**
 * The SDK's legacy HTTP+SSE client transport (spec 2024-11-05): a GET event stream that names
 * the POST endpoint in its first `endpoint` event. The endpoint must share the URL's origin
 * (the SDK refuses others), and every POST goes through the same (guarded) fetch. A stream
 * answered with another content type (a web page) fails `start()` with the SDK's
 * unexpected-content error carrying that type, as the streamable HTTP transport does.
 */
export function createSseTransport(url: URL, options: HttpTransportOptions): SSEClientTransport {
  const base = options.fetch ?? fetch
  const seen: StreamAnswer = {}
  const recordingFetch: FetchLike = async (input, init) => {
    const response = await base(input, init)
    if ((init?.method ?? 'GET') === 'GET') {
      seen.contentType = response.headers.get('content-type') ?? undefined
    }
    return response
  }
  return new SseTransport(
    url,
    {
      requestInit: { headers: { ...options.headers } },
      fetch: recordingFetch,
      ...(options.authProvider ? { authProvider: options.authProvider } : {}),
    },
    seen,
  )
}

interface StreamAnswer {
  contentType?: string
}

class SseTransport extends SSEClientTransport {
  private readonly seen: StreamAnswer

  constructor(
    url: URL,
    options: ConstructorParameters<typeof SSEClientTransport>[1],
    seen: StreamAnswer,
  ) {
    super(url, options)
    this.seen = seen
  }

  override async start(): Promise<void> {
    try {
      await super.start()
    } catch (error) {
      // eventsource only says "Invalid content type"; which one tells a web page from the rest.
      const contentType = this.seen.contentType
      if (!(error instanceof SseError) || !contentType || contentType.includes('event-stream')) {
        throw error
      }
      throw new SdkError(
        SdkErrorCode.ClientHttpUnexpectedContent,
        `Unexpected content type: ${contentType}`,
        { contentType },
        { cause: error },
      )
    }
  }
}
