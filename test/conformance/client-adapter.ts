/**
 * The MCP client that `@modelcontextprotocol/conformance client` drives (scripts/conformance.mjs
 * runs it with Node 22: `node --import tsx test/conformance/client-adapter.ts <server-url>`).
 * The suite appends the URL of the scenario's server, names the scenario in
 * `MCP_CONFORMANCE_SCENARIO`, the revision it runs at in `MCP_CONFORMANCE_PROTOCOL_VERSION`, and
 * passes extra data (pre-registered credentials, the tool calls to make) as JSON in
 * `MCP_CONFORMANCE_CONTEXT`.
 *
 * It is Switchboard's own client, not a second one: `connectMcp` (untrusted endpoint, SSRF guard
 * on, loopback allowed by policy because the suite's servers are local), `discoverTools`, then
 * the tool calls the scenario waits for, each through `callUpstream` as the tool-call service
 * makes it. The protocol version is not pinned: `connectMcp` negotiates it with every server, so
 * the suite's revision is only logged. Auth scenarios go through a user's OAuth server as the app
 * handles it (oauth-user.ts): a connection that ends in `needs_auth` makes the simulated user
 * sign in again, at most `MAX_SIGN_INS` times, as a person clicking "Sign in" would.
 *
 * Exit codes: 0 the scenario's steps succeeded; 1 they failed (the message says why); 2 the
 * scenario needs a feature Switchboard does not have (said on stderr); 64 usage error.
 *
 * @module
 */
import { setPriority } from 'node:os'
import type { Tool } from '@modelcontextprotocol/client'
import { z } from 'zod'
import { AppError } from '../../src/server/errors.ts'
import { createLogger, type Logger } from '../../src/server/log.ts'
import { type DiscoveredTool, discoverTools } from '../../src/server/mcp/catalog/discovery.ts'
import {
  type ConnectOptions,
  connectMcp,
  type McpConnection,
} from '../../src/server/mcp/client/connect.ts'
import type { ConnectDeps, McpEndpoint, McpFailure } from '../../src/server/mcp/client/endpoint.ts'
import { DEFAULT_REQUEST_TIMEOUT_MS } from '../../src/server/mcp/client/endpoint.ts'
import type { SsrfPolicy } from '../../src/server/mcp/client/ssrf-guard.ts'
import { toUpstreamError } from '../../src/server/mcp/client/upstream-errors.ts'
import { createUpstreamHttp } from '../../src/server/mcp/client/upstream-http.ts'
import { asMcpFailure } from '../../src/server/mcp/servers/probe.ts'
import { callUpstream } from '../../src/server/toolcalls/call-upstream.ts'

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

const ToolCallSchema = z.object({
  name: z.string(),
  arguments: z.record(z.string(), z.unknown()).default({}),
})
type ToolCall = z.infer<typeof ToolCallSchema>

interface Plan {
  /** A user's server with OAuth auth, signed in through the app's flow; else no auth. */
  oauth?: boolean
  /**
   * The calls a model would make once the tools are listed, in order; none: connect and list
   * only. Calls the suite names in its context (`toolCalls`) are made instead.
   */
  calls?: ToolCall[]
  /** Call every tool discovery kept, without arguments: the suite checks which ones were. */
  callEveryTool?: boolean
  /**
   * Call `via` with the input schema discovery kept for `tool` as its `schema` argument: the
   * suite compares it with what the server sent (what a model would be shown of it).
   */
  echoSchema?: { tool: string; via: string }
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

const noArguments = (...names: string[]): ToolCall[] =>
  names.map((name) => ({ name, arguments: {} }))

const AUTH_CALLS = noArguments('test-tool')
const DPOP =
  'DPoP-bound tokens (SEP-1932): our OAuth provider holds no DPoP key, so it sends bearer tokens'
const NOT_A_USER_SIGN_IN =
  'Switchboard signs in to MCP servers on behalf of a user (authorization code + PKCE); it ' +
  'has no machine-to-machine grant'

const PLANS: Record<string, Plan> = {
  initialize: {},
  tools_call: { calls: [{ name: 'add_numbers', arguments: { a: 2, b: 3 } }] },
  'sse-retry': { calls: noArguments('test_reconnection') },
  'elicitation-sep1034-client-defaults': {
    calls: noArguments('test_client_elicitation_defaults'),
    elicitation: true,
  },
  // Multi round-trip requests (SEP-2322): the first and third tools answer `input_required`
  // with a form, the second (between them) must carry none of their answers or state, the last
  // answers without a `resultType`.
  'sep-2322-client-request-state': {
    calls: noArguments(
      'test_mrtr_echo_state',
      'test_mrtr_unrelated',
      'test_mrtr_no_state',
      'test_mrtr_no_result_type',
    ),
    elicitation: true,
  },
  'http-standard-headers': { calls: noArguments('test_headers', 'my-hyphenated-tool') },
  'http-invalid-tool-headers': { callEveryTool: true },
  'json-schema-2020-12-preservation': {
    echoSchema: { tool: 'json_schema_2020_12_tool', via: 'json_schema_echo' },
  },
  'auth/client-credentials-jwt': {
    skip: true,
    unsupported: `client credentials with private_key_jwt (SEP-1046): ${NOT_A_USER_SIGN_IN}`,
  },
  'auth/client-credentials-basic': {
    skip: true,
    unsupported: `client credentials with client_secret_basic (SEP-1046): ${NOT_A_USER_SIGN_IN}`,
  },
  'auth/enterprise-managed-authorization': {
    skip: true,
    unsupported: `enterprise-managed authorization (SEP-990, ID-JAG): ${NOT_A_USER_SIGN_IN}`,
  },
  'auth/wif-jwt-bearer': {
    skip: true,
    unsupported: `workload identity federation (JWT bearer grant): ${NOT_A_USER_SIGN_IN}`,
  },
  'auth/dpop': { skip: true, unsupported: DPOP },
  'auth/dpop-nonce': { skip: true, unsupported: DPOP },
}

const ContextSchema = z.looseObject({
  client_id: z.string().optional(),
  client_secret: z.string().optional(),
  toolCalls: z.array(ToolCallSchema).optional(),
})
type Context = z.infer<typeof ContextSchema>

function planFor(scenario: string): Plan {
  const known = PLANS[scenario]
  if (known) return known
  // Every other auth scenario is a well-behaved authorization-code client (discovery variants,
  // scopes, token endpoint auth methods, pre-registration, back-compat, draft ones).
  if (scenario.startsWith('auth/')) return { oauth: true, calls: AUTH_CALLS }
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
  const revision = process.env.MCP_CONFORMANCE_PROTOCOL_VERSION ?? 'unnamed'
  say(`scenario ${scenario} at revision ${revision}, server ${serverUrl}`)
  if (plan.skip) return unsupported(plan)
  try {
    if (plan.oauth) await runAsOAuthUser(serverUrl, plan, context, log)
    else await runPlain(serverUrl, plan, context, log)
  } catch (error) {
    say(`FAILED: ${describeError(error)}`)
    log.debug({ err: error }, 'scenario failed')
    return plan.unsupported ? unsupported(plan) : EXIT_FAILED
  }
  return plan.unsupported ? unsupported(plan) : 0
}

/** A scenario without sign-in, on an upstream HTTP stack of its own (as `buildDeps` makes). */
async function runPlain(serverUrl: string, plan: Plan, context: Context, log: Logger) {
  const upstreamHttp = createUpstreamHttp(CONFORMANCE_POLICY)
  try {
    await exerciseServer(() => connectPlain(serverUrl, { upstreamHttp, log }, plan), plan, context)
  } finally {
    await upstreamHttp.close()
  }
}

async function connectPlain(serverUrl: string, deps: ConnectDeps, plan: Plan) {
  const endpoint: McpEndpoint = {
    name: 'conformance',
    transport: 'streamable-http',
    url: serverUrl,
    trusted: false,
  }
  const options = plan.elicitation ? { onElicitation: acceptAsOffered } : {}
  const connection = await connectMcp(endpoint, deps, options)
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
      await exerciseServer(() => connectAsUser(user), plan, context)
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
 * Connect, list every tool, make the calls, disconnect. Every call is made even when one before
 * it failed (the suite checks each on its own, and a user would try the next tool too); then the
 * first failure is thrown. Anything that fails leaves as an `UpstreamError` carrying the server
 * status it implies (`details.status`).
 */
async function exerciseServer(
  connect: () => Promise<{ connection: McpConnection; endpoint: McpEndpoint }>,
  plan: Plan,
  context: Context,
): Promise<void> {
  const { connection, endpoint } = await connect()
  const asUpstreamError = (error: unknown) =>
    statusOf(error) ? error : toUpstreamError(asMcpFailure(error, endpoint), error)
  try {
    const { serverInfo, latencyMs } = connection
    say(
      `connected to ${serverInfo.name} ${serverInfo.version}, protocol ` +
        `${serverInfo.protocolVersion} (${latencyMs} ms)`,
    )
    const { tools, skipped } = await discoverTools(connection)
    say(`tools: ${tools.map((tool) => tool.name).join(', ') || '(none)'}`)
    for (const skip of skipped) say(`skipped tool ${skip.name}: ${skip.reason}`)
    const failures: unknown[] = []
    for (const call of callsToMake(plan, tools, context)) {
      await callTool(connection, tools, call).catch((error: unknown) => {
        say(`${call.name} failed: ${describeError(error)}`)
        failures.push(error)
      })
    }
    if (failures.length > 0) throw failures[0]
  } catch (error) {
    throw asUpstreamError(error)
  } finally {
    await connection.close()
  }
}

function callsToMake(plan: Plan, tools: DiscoveredTool[], context: Context): ToolCall[] {
  if (context.toolCalls) return context.toolCalls
  if (plan.callEveryTool) return tools.map((tool) => ({ name: tool.name, arguments: {} }))
  if (plan.echoSchema) {
    const { tool: name, via } = plan.echoSchema
    const tool = tools.find((offered) => offered.name === name)
    if (!tool) throw new Error(`the server does not offer the tool ${name}`)
    return [{ name: via, arguments: { schema: tool.inputSchema } }]
  }
  return plan.calls ?? []
}

/**
 * The call as the tool-call service makes it (`callUpstream`), on a tool discovery kept and with
 * its definition as discovery stored it.
 */
async function callTool(
  connection: McpConnection,
  tools: DiscoveredTool[],
  call: ToolCall,
): Promise<void> {
  const tool = tools.find((offered) => offered.name === call.name)
  if (!tool) throw new Error(`the server does not offer the tool ${call.name}`)
  const timeoutMs = DEFAULT_REQUEST_TIMEOUT_MS
  const result = await callUpstream(connection, {
    name: call.name,
    arguments: call.arguments,
    execution: tool.execution,
    definition: {
      inputSchema: tool.inputSchema as Tool['inputSchema'],
      ...(tool.outputSchema ? { outputSchema: tool.outputSchema as Tool['outputSchema'] } : {}),
    },
    signal: new AbortController().signal,
    timeoutMs,
    maxDurationMs: timeoutMs,
    onProgress: (progress) => say(`${call.name} progress: ${JSON.stringify(progress)}`),
  })
  say(`${call.name}${result.isError ? ' (isError)' : ''}: ${JSON.stringify(result.content)}`)
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
