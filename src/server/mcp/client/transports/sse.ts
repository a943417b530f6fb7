import type { JSONRPCMessage, Middleware } from '@modelcontextprotocol/client'
import {
  applyMiddlewares,
  SdkError,
  SdkErrorCode,
  SSEClientTransport,
  SseError,
} from '@modelcontextprotocol/client'
import { isEventStream } from './limit-response-size.ts'
import { afterRejections, observeTransport, PendingRequests, watchBody } from './refusals.ts'
import type { HttpTransportOptions } from './streamable-http.ts'

/**
 * The SDK's legacy HTTP+SSE client transport (spec 2024-11-05): a GET event stream that names
 * the POST endpoint in its first `endpoint` event. The endpoint must share the URL's origin
 * (the SDK refuses others), and every POST goes through the same upstream fetch. A stream
 * answered with another content type (a web page) fails `start()` with the SDK's
 * unexpected-content error carrying that type, as the streamable HTTP transport does.
 *
 * Every answer comes on the GET stream, so a message refused for its size cuts the session: the
 * requests still waiting fail at once with the refusal, and the transport closes (left alone,
 * the event source would reconnect into a new session that was never initialized).
 */
export function createSseTransport(url: URL, options: HttpTransportOptions): SSEClientTransport {
  const stream: EventStream = {}
  return new SseTransport(
    url,
    {
      requestInit: { headers: { ...options.headers } },
      fetch: applyMiddlewares(watchEventStream(stream))(options.fetch),
      ...(options.authProvider ? { authProvider: options.authProvider } : {}),
    },
    stream,
  )
}

/** What the fetch saw of the GET event stream, and whom it tells of a refusal. */
interface EventStream {
  contentType?: string
  onRefused?: (error: Error) => void
}

/** Notes the GET stream's content type and watches its body for a refusal (`stream`). */
function watchEventStream(stream: EventStream): Middleware {
  return (next) => async (input, init) => {
    const response = await next(input, init)
    if ((init?.method ?? 'GET') !== 'GET') return response
    stream.contentType = response.headers.get('content-type') ?? undefined
    if (!response.ok || !response.body || !isEventStream(response.headers)) return response
    const watched = watchBody(response.body, (error) => stream.onRefused?.(error))
    return new Response(watched.body, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    })
  }
}

class SseTransport extends SSEClientTransport {
  private readonly stream: EventStream
  private readonly pending = new PendingRequests()
  private refusal: Error | undefined

  constructor(
    url: URL,
    options: ConstructorParameters<typeof SSEClientTransport>[1],
    stream: EventStream,
  ) {
    super(url, options)
    this.stream = stream
    stream.onRefused = (error) => this.refuse(error)
    observeTransport(this, { message: (message) => this.pending.received(message) })
  }

  override async start(): Promise<void> {
    try {
      await super.start()
    } catch (error) {
      // eventsource only says "Invalid content type"; which one tells a web page from the rest.
      const contentType = this.stream.contentType
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

  override async send(message: JSONRPCMessage): Promise<void> {
    // Its answer could only come on the stream the refusal cut (until `close` ends it).
    if (this.refusal) throw this.refusal
    await this.pending.send(message, () => super.send(message))
  }

  override async close(): Promise<void> {
    this.pending.close()
    await super.close()
  }

  private refuse(error: Error): void {
    this.refusal = error
    this.pending.refuse(error)
    afterRejections(() => {
      this.onerror?.(error)
      this.close().catch(() => undefined)
    })
  }
}
