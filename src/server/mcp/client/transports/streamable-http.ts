import type {
  FetchLike,
  JSONRPCMessage,
  Middleware,
  OAuthClientProvider,
  RequestId,
} from '@modelcontextprotocol/client'
import { applyMiddlewares, StreamableHTTPClientTransport } from '@modelcontextprotocol/client'
import { checkEventStreamAnswer, checkJsonAnswer } from './answer-check.ts'
import { isEventStream } from './limit-response-size.ts'
import { isRequest, watchBody } from './refusals.ts'

/** What both HTTP transports (streamable HTTP and legacy SSE) are built from. */
export interface HttpTransportOptions {
  /** Sent on every request (auth included); the transport's own headers win on a clash. */
  headers?: Record<string, string>
  /** The upstream HTTP stack's fetch for this server (upstream-http.ts). */
  fetch: FetchLike
  authProvider?: OAuthClientProvider
}

/**
 * The SDK's streamable HTTP client transport (spec 2025-11-25, "Streamable HTTP"): a POST per
 * message, answered with JSON or an SSE stream, plus an optional GET stream for server
 * notifications. Redirects stay within the URL's origin (the SDK default).
 *
 * A message refused for its size (`ResponseTooLargeError` from the fetch's cap) fails the
 * request it answered at once: as a JSON answer the SDK already rejects `send` with it; in an
 * SSE answer the SDK only logs the cut stream (and may resume it), so `send` for a request waits
 * until its SSE answer ends and rejects with the refusal, and the SDK is left reading a stream
 * that says nothing more (see refusals.ts). The session stays open.
 *
 * An answer that is not MCP at all (JSON that is not JSON-RPC or answers nothing asked, an event
 * stream without JSON-RPC) fails the request at once the same way, rather than at its timeout
 * (see answer-check.ts).
 */
export function createStreamableHttpTransport(
  url: URL,
  options: HttpTransportOptions,
): StreamableHTTPClientTransport {
  const streams = new Map<RequestId, RequestStream>()
  const eventStream: EventStreamState = { opened: () => {}, listening: false }
  const eventStreamOpened = new Promise<void>((resolve) => {
    eventStream.opened = resolve
  })
  return new StreamableHttpTransport(
    url,
    {
      requestInit: { headers: { ...options.headers } },
      fetch: applyMiddlewares(checkAnswers(streams), watchEventStream(eventStream))(options.fetch),
      ...(options.authProvider ? { authProvider: options.authProvider } : {}),
    },
    streams,
    eventStreamOpened,
    eventStream,
  )
}

/**
 * Whether a 2025 session's event stream is open now, so the server's notifications (a changed
 * tool list) reach us; undefined for other transports.
 */
export function isListening(transport: unknown): boolean | undefined {
  return transport instanceof StreamableHttpTransport ? transport.listening : undefined
}

interface EventStreamState {
  /** The GET for server messages was answered (or failed). */
  opened: () => void
  /** Its answer is streaming now. */
  listening: boolean
}

/**
 * Waits (at most `ms`) until a 2025 session's event stream for server messages is open, or
 * refused. The SDK opens it in the background once the handshake is done; a server that sends
 * a message unrelated to a request (URL-mode elicitation, say) before the stream exists has
 * nowhere to send it and drops it, and the call waiting on the answer hangs. No-op for other
 * transports.
 */
export async function eventStreamOpened(transport: unknown, ms: number): Promise<void> {
  if (!(transport instanceof StreamableHttpTransport)) return
  let timer: NodeJS.Timeout | undefined
  const elapsed = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms)
  })
  await Promise.race([transport.eventStreamOpened, elapsed])
  clearTimeout(timer)
}

type SendOptions = Parameters<StreamableHTTPClientTransport['send']>[1]

/** A request sent and not yet settled, and its answer's SSE stream once the POST has one. */
interface RequestStream {
  /** Settles when the SSE answer ends; rejects with the refusal. */
  ended?: Promise<void>
}

class StreamableHttpTransport extends StreamableHTTPClientTransport {
  private readonly streams: Map<RequestId, RequestStream>
  /** Settles once the GET for server messages was answered (or failed). */
  readonly eventStreamOpened: Promise<void>

  private readonly eventStream: EventStreamState

  constructor(
    url: URL,
    options: ConstructorParameters<typeof StreamableHTTPClientTransport>[1],
    streams: Map<RequestId, RequestStream>,
    eventStreamOpened: Promise<void>,
    eventStream: EventStreamState,
  ) {
    super(url, options)
    this.streams = streams
    this.eventStreamOpened = eventStreamOpened
    this.eventStream = eventStream
  }

  get listening(): boolean {
    return this.eventStream.listening
  }

  override async send(
    message: JSONRPCMessage | JSONRPCMessage[],
    options?: SendOptions,
  ): Promise<void> {
    if (Array.isArray(message) || !isRequest(message) || options?.resumptionToken) {
      return super.send(message, options)
    }
    const stream: RequestStream = {}
    this.streams.set(message.id, stream)
    try {
      await super.send(message, options)
      await stream.ended
    } finally {
      if (this.streams.get(message.id) === stream) this.streams.delete(message.id)
    }
  }
}

/**
 * Watches the GET for the session's event stream: `opened` once it is answered or fails, and
 * `listening` while its answer streams (the SDK opens it again after a drop).
 */
function watchEventStream(state: EventStreamState): Middleware {
  return (next) => async (input, init) => {
    if (init?.method !== 'GET') return next(input, init)
    let response: Response
    try {
      response = await next(input, init)
    } finally {
      state.opened()
    }
    if (!response.ok || !response.body) return response
    state.listening = true
    const reader = response.body.getReader()
    const stop = () => {
      state.listening = false
    }
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        try {
          const { done, value } = await reader.read()
          if (done) {
            stop()
            controller.close()
          } else controller.enqueue(value)
        } catch (error) {
          stop()
          controller.error(error)
        }
      },
      cancel(reason) {
        stop()
        return reader.cancel(reason)
      },
    })
    const { status, statusText, headers } = response
    return new Response(body, { status, statusText, headers })
  }
}

/**
 * Checks that the answers to POSTed requests are MCP, and watches their SSE answers for a
 * refusal. One per transport: `streams` are the requests it has sent and not yet settled.
 */
function checkAnswers(streams: Map<RequestId, RequestStream>): Middleware {
  return (next) => async (input, init) => {
    const response = await next(input, init)
    const isAnswer =
      streams.size > 0 &&
      init?.method === 'POST' &&
      response.ok &&
      response.status !== 202 &&
      response.body !== null
    if (!isAnswer || !response.body) return response
    const ids = requestIdsOf(init.body)
    const waiting = ids.flatMap((id) => streams.get(id) ?? [])
    if (waiting.length === 0) return response
    if (isJson(response.headers)) return checkJsonAnswer(response, ids)
    // Any other content type: the SDK refuses it (unexpected content type).
    if (!isEventStream(response.headers)) return response
    const watched = watchBody(checkEventStreamAnswer(response.body))
    for (const stream of waiting) stream.ended = watched.ended
    return new Response(watched.body, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    })
  }
}

function isJson(headers: Headers): boolean {
  return /^application\/json\b/i.test(headers.get('content-type') ?? '')
}

/** The ids of the requests in a POSTed JSON-RPC body (the SDK sends it as a string). */
function requestIdsOf(body: RequestInit['body']): RequestId[] {
  if (typeof body !== 'string') return []
  let parsed: unknown
  try {
    parsed = JSON.parse(body)
  } catch {
    return []
  }
  const messages = Array.isArray(parsed) ? parsed : [parsed]
  return messages.flatMap((message) => {
    const id = (message as { id?: unknown } | null)?.id
    return typeof id === 'string' || typeof id === 'number' ? [id] : []
  })
}
