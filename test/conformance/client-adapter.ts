/**
 * The MCP client that `@modelcontextprotocol/conformance client` drives (scripts/conformance.mjs
 * runs it with Node 22: `node --import tsx test/conformance/client-adapter.ts <server-url>`).
 * The suite appends the URL of the scenario's server, names the scenario in
 * `MCP_CONFORMANCE_SCENARIO` and passes extra data (pre-registered credentials) as JSON in
 * `MCP_CONFORMANCE_CONTEXT`.
 *
 * It is Switchboard's own client, not a second one: `connectMcp` (untrusted endpoint, SSRF guard
 * on, loopback allowed by policy because the suite's servers are local), `discoverTools`, then
 * the tool call the scenario waits for. Auth scenarios go through a user's OAuth server as the
 * app handles it (oauth-user.ts): a connection that ends in `needs_auth` makes the simulated user
 * sign in again, at most `MAX_SIGN_INS` times, as a person clicking "Sign in" would.
 *
 * Exit codes: 0 the scenario's steps succeeded; 1 they failed (the message says why); 2 the
 * scenario needs a feature Switchboard does not have (said on stderr); 64 usage error.
 *
 * @module
 */
import { setPriority } from 'node:os'
import { z } from 'zod'
import { AppError } from '../../src/server/errors.ts'
import { createLogger, type Logger } from '../../src/server/log.ts'
import {
  type ConnectOptions,
  connectMcp,
  type McpConnection,
} from '../../src/server/mcp/client/connect.ts'
import { discoverTools } from '../../src/server/mcp/catalog/discovery.ts'
import type { McpEndpoint, McpFailure } from '../../src/server/mcp/client/endpoint.ts'
import { asMcpFailure } from '../../src/server/mcp/servers/probe.ts'
import type { SsrfPolicy } from '../../src/server/mcp/client/ssrf-guard.ts'
import { toUpstreamError } from '../../src/server/mcp/client/upstream-errors.ts'

/** The suite's servers listen on localhost (IPv4 or IPv6): allowed by policy, still guarded. */
const CONFORMANCE_POLICY: SsrfPolicy = {
  allowedHosts: [],
  allowPrivateNetworks: ['127.0.0.0/8', '::1/128'],
}
/** A user gives up after this many sign-ins in a row that end in `needs_auth` again. */
const MAX_SIGN_INS = 3
const EXIT_FAILED = 1
const EXIT_UNSUPPORTED = 2
const EXIT_USAGE = 64
/** Lower CPU priority (nice) for the auth scenarios: see `runAsOAuthUser`. */
const OAUTH_NICENESS = 10

interface ToolCall {
  name: string
  arguments: Record<string, unknown>
}

interface Plan {
  /** A user's server with OAuth auth, signed in through the app's flow; else no auth. */
  oauth?: boolean
  /** The call a model would make once the tools are listed; none: initialize and list only. */
  call?: ToolCall
  /** What Switchboard lacks for this scenario; reported, and the exit code is 2. */
  unsupported?: string
  /** Do not connect at all (the scenario is only about the missing feature). */
  skip?: boolean
  /**
   * Answer the server's forms as a user who accepts each one without typing anything: the
   * client fills in the schema's defaults (SEP-1034).
   */
  elicitation?: boolean
}

const acceptAsOffered: NonNullable<ConnectOptions['onElicitation']> = async (params) => {
  say(`elicitation: ${params.message}; accepting the defaults`)
  return { action: 'accept', content: {} }
}

const AUTH_CALL: ToolCall = { name: 'test-tool', arguments: {} }
const NOT_A_USER_SIGN_IN =
  'Switchboard signs in to MCP servers on behalf of a user (authorization code + PKCE); it ' +
  'has no machine-to-machine grant'

const PLANS: Record<string, Plan> = {
  initialize: {},
  tools_call: { call: { name: 'add_numbers', arguments: { a: 2, b: 3 } } },
  'sse-retry': { call: { name: 'test_reconnection', arguments: {} } },
  'elicitation-sep1034-client-defaults': {
    call: { name: 'test_client_elicitation_defaults', arguments: {} },
    elicitation: true,
  },
  'auth/client-credentials-jwt': {
    skip: true,
    unsupported: `client credentials with private_key_jwt (SEP-1046): ${NOT_A_USER_SIGN_IN}`,
  },
  'auth/client-credentials-basic': {
    skip: true,
    unsupported: `client credentials with client_secret_basic (SEP-1046): ${NOT_A_USER_SIGN_IN}`,
  },
  'auth/cross-app-access-complete-flow': {
    skip: true,
    unsupported: `enterprise-managed authorization (SEP-990, ID-JAG): ${NOT_A_USER_SIGN_IN}`,
  },
}

const ContextSchema = z.looseObject({
  client_id: z.string().optional(),
  client_secret: z.string().optional(),
})
type Context = z.infer<typeof ContextSchema>

function planFor(scenario: string): Plan {
  const known = PLANS[scenario]
  if (known) return known
  // Every other auth scenario is a well-behaved authorization-code client (discovery variants,
  // scopes, token endpoint auth methods, pre-registration, back-compat, draft ones).
  if (scenario.startsWith('auth/')) return { oauth: true, call: AUTH_CALL }
  return {}
}

async function main(): Promise<number> {
  const serverUrl = process.argv.at(-1)
  const scenario = process.env.MCP_CONFORMANCE_SCENARIO
  if (process.argv.length < 3 || !serverUrl || !URL.canParse(serverUrl) || !scenario) {
    process.stderr.write(
      'usage: MCP_CONFORMANCE_SCENARIO=<scenario> node --import tsx client-adapter.ts <server-url>\n',
    )
    return EXIT_USAGE
  }
  const context = parseContext(process.env.MCP_CONFORMANCE_CONTEXT)
  // Everything to stderr, which the suite keeps per scenario (stderr.txt) for diagnosis.
  const log = createLogger({ log: { level: 'debug', pretty: false } }, { stream: 'stderr' }).child({
    scenario,
  })
  const plan = planFor(scenario)
  say(`scenario ${scenario}, server ${serverUrl}`)
  if (plan.skip) return unsupported(plan)
  try {
    if (plan.oauth) await runAsOAuthUser(serverUrl, plan, context, log)
    else await exerciseServer(() => connectPlain(serverUrl, log, plan), plan)
  } catch (error) {
    say(`FAILED: ${describeError(error)}`)
    log.debug({ err: error }, 'scenario failed')
    return plan.unsupported ? unsupported(plan) : EXIT_FAILED
  }
  return plan.unsupported ? unsupported(plan) : 0
}

async function connectPlain(serverUrl: string, log: Logger, plan: Plan) {
  const endpoint: McpEndpoint = {
    name: 'conformance',
    transport: 'streamable-http',
    url: serverUrl,
    trusted: false,
  }
  const options = plan.elicitation ? { onElicitation: acceptAsOffered } : {}
  const connection = await connectMcp(endpoint, { ssrfPolicy: CONFORMANCE_POLICY, log }, options)
  return { connection, endpoint }
}

async function runAsOAuthUser(serverUrl: string, plan: Plan, context: Context, log: Logger) {
  // The suite starts every scenario at once and sse-retry measures reconnection delays to
  // within 200 ms meanwhile. The app stack and a database per auth scenario are most of the
  // CPU: loaded only here, and at a lower priority (these scenarios time nothing).
  setPriority(OAUTH_NICENESS)
  const { connectAsUser, openOAuthUser, signIn } = await import('./oauth-user.ts')
  await using user = await openOAuthUser(serverUrl, {
    policy: CONFORMANCE_POLICY,
    log,
    ...(context.client_id ? { clientId: context.client_id } : {}),
    ...(context.client_secret ? { clientSecret: context.client_secret } : {}),
  })
  for (let signIns = 0; ; ) {
    try {
      await exerciseServer(() => connectAsUser(user), plan)
      return
    } catch (error) {
      if (statusOf(error) !== 'needs_auth' || signIns >= MAX_SIGN_INS) throw error
      signIns += 1
      say(`needs_auth (${describeError(error)}): signing in, attempt ${signIns}/${MAX_SIGN_INS}`)
      await signIn(user)
      say('signed in')
    }
  }
}

/**
 * Connect, list every tool, make the plan's call, disconnect. Anything that fails leaves as an
 * `UpstreamError` carrying the server status it implies (`details.status`).
 */
async function exerciseServer(
  connect: () => Promise<{ connection: McpConnection; endpoint: McpEndpoint }>,
  plan: Plan,
): Promise<void> {
  const { connection, endpoint } = await connect()
  try {
    const { serverInfo, latencyMs } = connection
    say(
      `connected to ${serverInfo.name} ${serverInfo.version}, protocol ` +
        `${serverInfo.protocolVersion} (${latencyMs} ms)`,
    )
    const { tools, skipped } = await discoverTools(connection)
    say(`tools: ${tools.map((tool) => tool.name).join(', ') || '(none)'}`)
    for (const skip of skipped) say(`skipped tool ${skip.name}: ${skip.reason}`)
    if (!plan.call) return
    if (!tools.some((tool) => tool.name === plan.call?.name)) {
      throw new Error(`the server does not offer the tool ${plan.call.name}`)
    }
    const result = await connection.client.callTool(plan.call, {
      timeout: connection.requestTimeoutMs,
    })
    say(`${plan.call.name}${result.isError ? ' (isError)' : ''}: ${JSON.stringify(result.content)}`)
  } catch (error) {
    if (statusOf(error)) throw error
    throw toUpstreamError(asMcpFailure(error, endpoint), error)
  } finally {
    await connection.close()
  }
}

/** The server status an error from our connection layer implies (`UpstreamError` details). */
function statusOf(error: unknown): McpFailure['status'] | null {
  if (!(error instanceof AppError)) return null
  const status = error.details?.status
  return typeof status === 'string' ? (status as McpFailure['status']) : null
}

function parseContext(raw: string | undefined): Context {
  if (!raw) return {}
  const parsed = ContextSchema.safeParse(JSON.parse(raw))
  return parsed.success ? parsed.data : {}
}

function unsupported(plan: Plan): number {
  process.stderr.write(`UNSUPPORTED: ${plan.unsupported}\n`)
  say(`UNSUPPORTED: ${plan.unsupported}`)
  return EXIT_UNSUPPORTED
}

/** The error and its causes on one line: the app's message first, then what the SDK said. */
function describeError(error: unknown): string {
  const parts: string[] = []
  for (let entry = error; entry instanceof Error && parts.length < 4; entry = entry.cause) {
    parts.push(`${entry.name}: ${entry.message}`)
  }
  return parts.join(' <- ') || String(error)
}

function say(line: string): void {
  process.stdout.write(`[switchboard] ${line}\n`)
}

process.exit(await main())
