/**
 * Connecting to one MCP server: vet the endpoint (SSRF guard for user URLs, stdio only for the
 * operator), build the transport, run the MCP `initialize` handshake with the v2 `Client`, all
 * within the connect timeout. Every failure leaves as an `UpstreamError` with an actionable
 * message (see upstream-errors.ts).
 *
 * @module
 */
import type {
  Client,
  ElicitRequest,
  ElicitResult,
  PriorDiscovery,
  ProtocolEra,
  Transport,
} from '@modelcontextprotocol/client'
import { SdkError, SdkErrorCode, StreamableHTTPClientTransport } from '@modelcontextprotocol/client'
import { reasonOf } from '../../../shared/error-reasons.ts'
import type { Logger } from '../../log.ts'
import { sanitizeText } from '../../untrusted-text.ts'
import type { ConnectDeps, McpEndpoint, McpFailure, McpTransportKind } from './endpoint.ts'
import { DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_REQUEST_TIMEOUT_MS } from './endpoint.ts'
import { checkUrl, checkUrlResolved } from './ssrf-guard.ts'
import { type McpTasks, openTasks } from './tasks.ts'
import { createTransport } from './transports/create-transport.ts'
import { ResponseTooLargeError } from './transports/limit-response-size.ts'
import { abortStdioTransport } from './transports/stdio.ts'
import { eventStreamOpened, isListening } from './transports/streamable-http.ts'
import { UpstreamClient } from './upstream-client.ts'
import {
  EndpointError,
  isConnectionReset,
  McpTimeoutError,
  redactSecrets,
  startDeadline,
  toMcpFailure,
  toUpstreamError,
} from './upstream-errors.ts'

export interface McpServerInfo {
  name: string
  version: string
  title?: string
  instructions?: string
  protocolVersion: string
  /**
   * `modern`: 2026-07-28 or later, stateless (`server/discover`, no session); `legacy`: the
   * 2025 `initialize` handshake and its session.
   */
  era: ProtocolEra
  capabilities: Record<string, unknown>
}

export interface McpConnection {
  /** v2 Client, connected and initialized. */
  client: Client
  /** What the server said about itself, control characters stripped and lengths capped. */
  serverInfo: McpServerInfo
  /** Time to connect + initialize. */
  latencyMs: number
  /** The server's MCP tasks (either generation), when it offers them (tasks.ts). */
  tasks?: McpTasks
  /**
   * The server tells us when its tool list changes and those notifications reach us now: it
   * declared `tools.listChanged` and the 2025 session's event stream is open (SSE, WebSocket and
   * stdio carry them on their one stream). A routine check then need not list the tools again.
   * Always false for 2026-07-28 servers, whose `ttlMs` says how long a listing stays fresh.
   */
  listening?(): boolean
  /** Idempotent; ends a streamable HTTP session (DELETE); for stdio kills the child process. */
  close(): Promise<void>
  /** Who this is, for messages (`toMcpFailure`). */
  endpoint?: Pick<McpEndpoint, 'name' | 'url' | 'transport'>
}

export interface ConnectOptions {
  signal?: AbortSignal
  /** `notifications/{tools,resources,prompts}/list_changed` arrived: re-list the catalog. */
  onToolsListChanged?: () => void
  /** The transport closed after connecting: `null` when closed by us, else why. */
  onClose?: (failure: McpFailure | null) => void
  /**
   * Answers a server's `elicitation/create`: form mode (a form the user fills in) and URL mode (a
   * link the user opens, e.g. to connect an account), in both eras (2026-07-28 asks with
   * `input_required` and the SDK retries with the answers). Only when given does the client
   * declare the elicitation capability, form mode with `applyDefaults` (SEP-1034): the SDK fills
   * in the schema's defaults for fields an accepted answer leaves out.
   */
  onElicitation?: (params: ElicitRequest['params'], signal: AbortSignal) => Promise<ElicitResult>
}

const CLIENT_INFO = { name: 'switchboard', version: '0.1.0' }
const URL_SCHEMES: Record<Exclude<McpTransportKind, 'stdio'>, readonly string[]> = {
  'streamable-http': ['http:', 'https:'],
  sse: ['http:', 'https:'],
  websocket: ['ws:', 'wss:'],
}
/** How long a failed connect waits for its transport to close before reporting. */
const FAILED_CLOSE_WAIT_MS = 1_000
const TERMINATE_SESSION_MS = 1_000
/** How long a connect waits for a 2025 session's event stream to open (streamable-http.ts). */
const EVENT_STREAM_WAIT_MS = 2_000
const MAX_INFO_CHARS = 200
const MAX_INSTRUCTIONS_CHARS = 10_000

/**
 * Connects to `endpoint` and completes the MCP initialize handshake within
 * `endpoint.timeouts.connectMs` (default 10 s), including the SSRF check and DNS. On timeout or
 * `signal` abort everything is torn down (transport closed, stdio child killed). Rejects with an
 * `UpstreamError` built by `toUpstreamError(toMcpFailure(...))`; never leaks header values.
 * `onToolsListChanged` and `onClose` are installed before the handshake and fire only after
 * this resolves; `onClose` fires at most once.
 */
export async function connectMcp(
  endpoint: McpEndpoint,
  deps: ConnectDeps,
  options: ConnectOptions = {},
): Promise<McpConnection> {
  const connectMs = endpoint.timeouts?.connectMs ?? DEFAULT_CONNECT_TIMEOUT_MS
  const redact = secretsOf(endpoint)
  const log = deps.log.child({ mcpServer: endpoint.name, transport: endpoint.transport })
  const started = performance.now()
  const deadline = startDeadline(connectMs, options.signal)
  let client: Client
  let events: ClientEvents
  try {
    const url = await deadline.race(vetEndpoint(endpoint, deps))
    const prior = priorFor(endpoint)
    const handshake = async (): Promise<[Client, ClientEvents]> => {
      const attempt = new UpstreamClient(
        CLIENT_INFO,
        {
          capabilities: capabilitiesFor(options),
          ...listChangedFor(options, () => events),
          // 2026-07-28 first (`server/discover`), else the 2025 handshake the server answers.
          versionNegotiation: { mode: 'auto' },
        },
        endpoint.timeouts?.requestMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
      )
      const watched = watchClient(attempt, endpoint, redact, log, options)
      let transport: Transport | undefined
      try {
        transport = createTransport(endpoint, url, { ...deps, log })
        await deadline.race(
          attempt.connect(transport, {
            timeout: connectMs,
            signal: deadline.signal,
            ...(prior ? { prior } : {}),
          }),
        )
        return [attempt, watched]
      } catch (error) {
        abortStdioTransport(transport)
        await closeWithin(FAILED_CLOSE_WAIT_MS, attempt, transport)
        throw error
      }
    }
    // A reset before any answer is usually a pooled socket the server had just closed; the
    // handshake has no side effects, so it is tried once more on a fresh connection.
    ;[client, events] = await handshake().catch((error: unknown) => {
      if (deadline.timedOut || !isConnectionReset(error)) throw error
      log.debug({ error: redactSecrets(String(error), redact) }, 'mcp connect reset; retrying')
      return handshake()
    })
  } catch (error) {
    const cause = deadline.timedOut ? new McpTimeoutError(connectMs, { cause: error }) : error
    const failure = toMcpFailure(cause, endpoint, { timeoutMs: connectMs, redact })
    log.info({ failure: failure.message }, 'mcp connect failed')
    throw toUpstreamError(failure, cause)
  } finally {
    deadline.clear()
  }
  if (client.getProtocolEra() === 'legacy') {
    await eventStreamOpened(client.transport, Math.min(connectMs, EVENT_STREAM_WAIT_MS))
  }
  const latencyMs = Math.round(performance.now() - started)
  log.debug({ latencyMs, era: client.getProtocolEra() }, 'mcp connected')
  events.connected = true
  if (options.onToolsListChanged) keepListening(client, events, log, options.onToolsListChanged)
  let closing: Promise<void> | undefined
  const tasks = openTasks(client, {
    endpointId: endpoint.url ?? endpoint.name,
    clientInfo: CLIENT_INFO,
    capabilities: capabilitiesFor(options),
    ...(options.onElicitation ? { elicit: options.onElicitation } : {}),
    log,
  })
  return {
    client,
    serverInfo: describeServer(client),
    latencyMs,
    ...(tasks ? { tasks } : {}),
    listening: () =>
      client.getProtocolEra() === 'legacy' &&
      client.getServerCapabilities()?.tools?.listChanged === true &&
      (isListening(client.transport) ?? true),
    close: () => {
      events.closedByUs = true
      tasks?.close()
      closing ??= closeConnection(client)
      return closing
    },
    endpoint: { name: endpoint.name, url: endpoint.url, transport: endpoint.transport },
  }
}

/** The URL to connect to, vetted: scheme per transport, SSRF guard unless trusted. */
async function vetEndpoint(endpoint: McpEndpoint, deps: ConnectDeps): Promise<URL | undefined> {
  if (endpoint.transport === 'stdio') {
    if (endpoint.trusted) return undefined
    throw new EndpointError(
      'stdio servers run a command on the Switchboard host, so only the operator can define ' +
        'them (in switchboard.yaml); use a streamable-http, sse or websocket URL',
      reasonOf('upstream.endpoint.stdio', {}),
    )
  }
  if (!endpoint.url) {
    throw new EndpointError(
      `a ${endpoint.transport} server needs a URL`,
      reasonOf('upstream.endpoint.needsUrl', { transport: endpoint.transport }),
    )
  }
  const schemes = URL_SCHEMES[endpoint.transport]
  const url = endpoint.trusted
    ? parseTrustedUrl(endpoint.url)
    : checkUrl(endpoint.url, deps.upstreamHttp.ssrfPolicy)
  if (!schemes.includes(url.protocol)) {
    const allowed = schemes.map((scheme) => `${scheme}//`).join(' or ')
    throw new EndpointError(
      `a ${endpoint.transport} URL must start with ${allowed}`,
      reasonOf('upstream.endpoint.urlScheme', {
        transport: endpoint.transport,
        schemes: schemes.map((scheme) => `${scheme}//`).join(', '),
      }),
    )
  }
  // Early, specific feedback on names that resolve to private addresses; the guarded fetch and
  // WebSocket lookup check again on the address actually connected to (DNS rebinding).
  if (!endpoint.trusted) {
    await checkUrlResolved(url, deps.upstreamHttp.ssrfPolicy, deps.upstreamHttp.resolver)
  }
  return url
}

function parseTrustedUrl(text: string): URL {
  if (!URL.canParse(text)) {
    throw new EndpointError('the URL is not valid', reasonOf('upstream.url.invalid', {}))
  }
  return new URL(text)
}

interface ClientEvents {
  connected: boolean
  closedByUs: boolean
}

function watchClient(
  client: Client,
  endpoint: McpEndpoint,
  redact: readonly string[],
  log: Logger,
  options: ConnectOptions,
): ClientEvents {
  const events: ClientEvents = { connected: false, closedByUs: false }
  let lastError: Error | undefined
  let reported = false
  // A message refused for its size ends a legacy SSE, WebSocket or stdio connection from our
  // side: the server is up, and the request it answered has already failed saying why.
  let refused = false
  client.onerror = (error) => {
    lastError = error
    refused ||= error instanceof ResponseTooLargeError
    // Servers quote what they were sent in their errors, credentials included.
    log.debug({ error: redactSecrets(error.message, redact) }, 'mcp transport error')
  }
  client.onclose = () => {
    if (!events.connected || reported) return
    reported = true
    const cause = lastError ?? new SdkError(SdkErrorCode.ConnectionClosed, 'connection closed')
    const failure = events.closedByUs || refused ? null : toMcpFailure(cause, endpoint, { redact })
    if (failure) log.info({ failure: failure.message }, 'mcp connection closed')
    options.onClose?.(failure)
  }
  const { onElicitation } = options
  if (onElicitation) {
    client.setRequestHandler('elicitation/create', (request, ctx) =>
      onElicitation(request.params, ctx.mcpReq.signal),
    )
  }
  return events
}

/**
 * Tool-list changes, in either era: 2025 servers send `notifications/tools/list_changed` on their
 * session; with a 2026-07-28 server the SDK opens a `subscriptions/listen` stream for them (when
 * the server says its list changes). `events` is read late: the handler exists before them.
 */
function listChangedFor(options: ConnectOptions, events: () => ClientEvents | undefined) {
  const { onToolsListChanged } = options
  if (!onToolsListChanged) return {}
  // We re-list ourselves (tool-cache.ts): it applies our limits and writes the cache. A change
  // of the resources or prompts re-lists them with the tools, as one catalog.
  const handler = {
    autoRefresh: false,
    debounceMs: 0,
    onChanged: () => {
      if (events()?.connected) onToolsListChanged()
    },
  }
  return { listChanged: { tools: handler, resources: handler, prompts: handler } }
}

/** How long after a dropped `subscriptions/listen` stream it is opened again. */
const RELISTEN_MS = 5_000

/**
 * A `subscriptions/listen` stream the server dropped is opened again (the SDK does not), and
 * since changes may have been missed meanwhile, the list is treated as changed. Stops when the
 * connection closes.
 */
function keepListening(
  client: Client,
  events: ClientEvents,
  log: Logger,
  onChanged: () => void,
): void {
  const subscription = client.autoOpenedSubscription
  if (!subscription) return
  const filter = subscription.honoredFilter
  const watch = (closed: Promise<'local' | 'graceful' | 'remote'>) => {
    void closed.then((how) => {
      if (how === 'local' || events.closedByUs) return
      const timer = setTimeout(() => {
        if (events.closedByUs) return
        client
          .listen(filter)
          .then((again) => {
            if (events.closedByUs) return void again.close()
            onChanged()
            watch(again.closed)
          })
          .catch((error: unknown) => {
            log.info({ error: String(error) }, 'mcp subscriptions/listen could not be reopened')
          })
      }, RELISTEN_MS)
      timer.unref()
    })
  }
  watch(subscription.closed)
}

/**
 * What is known of the server's era before connecting: legacy SSE servers predate 2026-07-28
 * (the transport is gone from it); otherwise the verdict of the last check, if the caller kept
 * one (`endpoint.knownEra`). None: probe with `server/discover`, then fall back.
 */
function priorFor(endpoint: McpEndpoint): PriorDiscovery | undefined {
  if (endpoint.transport === 'sse' || endpoint.knownEra === 'legacy') return { kind: 'legacy' }
  return undefined
}

function capabilitiesFor(options: ConnectOptions) {
  return options.onElicitation ? { elicitation: { form: { applyDefaults: true }, url: {} } } : {}
}

function describeServer(client: Client): McpServerInfo {
  const info = client.getServerVersion()
  const title = info?.title && sanitizeText(info.title, { maxChars: MAX_INFO_CHARS })
  const instructions = client.getInstructions()
  const cleanInstructions =
    instructions &&
    sanitizeText(instructions, { maxChars: MAX_INSTRUCTIONS_CHARS, multiline: true })
  return {
    name: sanitizeText(info?.name ?? '', { maxChars: MAX_INFO_CHARS }),
    version: sanitizeText(info?.version ?? '', { maxChars: MAX_INFO_CHARS }),
    ...(title ? { title } : {}),
    ...(cleanInstructions ? { instructions: cleanInstructions } : {}),
    protocolVersion: client.getNegotiatedProtocolVersion() ?? '',
    era: client.getProtocolEra() ?? 'legacy',
    capabilities: { ...client.getServerCapabilities() },
  }
}

async function closeConnection(client: Client): Promise<void> {
  const transport = client.transport
  // Spec 2025-11-25, transports, "Session Management": clients that no longer need a session
  // SHOULD end it with DELETE. Bounded: a dead server must not hold up closing.
  if (transport instanceof StreamableHTTPClientTransport && transport.sessionId) {
    await within(TERMINATE_SESSION_MS, transport.terminateSession()).catch(() => undefined)
  }
  await client.close().catch(() => undefined)
}

/** Closes a half-open connection; a stdio child that lingers is still killed, in the background. */
async function closeWithin(ms: number, client: Client, transport: Transport | undefined) {
  const closing = Promise.all([client.close(), transport?.close()]).catch(() => undefined)
  await within(ms, closing).catch(() => undefined)
}

/**
 * Secret values that must never appear in a message: header values (and the token of a
 * `Bearer …` value: redactSecrets also takes each word), env values, query values.
 */
function secretsOf(endpoint: McpEndpoint): string[] {
  const values = [...Object.values(endpoint.headers ?? {}), ...Object.values(endpoint.env ?? {})]
  const query =
    endpoint.url && URL.canParse(endpoint.url) ? new URL(endpoint.url).searchParams : null
  return [...values, ...(query ? [...query.values()] : [])].filter(Boolean)
}

async function within<T>(ms: number, promise: Promise<T>): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined
  const elapsed = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms)
  })
  try {
    return await Promise.race([promise, elapsed])
  } finally {
    clearTimeout(timer)
  }
}
