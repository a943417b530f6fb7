import { z } from 'zod'
import { ErrorReasonSchema } from './error-reasons.ts'

export const MCP_TRANSPORTS = ['streamable-http', 'sse', 'websocket', 'stdio'] as const
export const McpTransportSchema = z.enum(MCP_TRANSPORTS)
export type McpTransport = z.infer<typeof McpTransportSchema>

/** Transports a user may register: stdio runs a local command, so only the operator's config may. */
export const USER_TRANSPORTS = ['streamable-http', 'sse', 'websocket'] as const

export const MCP_SERVER_STATUSES = ['unknown', 'online', 'offline', 'error', 'needs_auth'] as const
export const McpServerStatusSchema = z.enum(MCP_SERVER_STATUSES)
export type McpServerStatus = z.infer<typeof McpServerStatusSchema>

export const SERVER_NAME_MAX = 64

// Names become tool-name prefixes for the model, so keep them plain.
export const ServerNameSchema = z
  .string()
  .trim()
  .min(1)
  .max(SERVER_NAME_MAX)
  .regex(/^[\p{L}\p{N}][\p{L}\p{N} _.-]*$/u, 'letters, digits, spaces, "-", "_" and "." only')

/** Headers that frame the HTTP message or the connection: ours to set, never a user's. */
const FRAMING_HEADERS = new Set([
  'host',
  'content-length',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'upgrade',
  'te',
  'trailer',
  'expect',
  'proxy-authorization',
  'proxy-connection',
])

const HeaderNameSchema = z
  .string()
  .trim()
  .min(1)
  .max(128)
  .regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'not a valid HTTP header name')
  .refine(
    (name) => !FRAMING_HEADERS.has(name.toLowerCase()),
    'this header is set by Switchboard for each request and cannot be configured',
  )
// What HTTP lets a header value hold (RFC 9110 field-value: visible characters, space, tab,
// and Latin-1): no CR/LF to smuggle another header, and no characters fetch would refuse later.
export const HeaderValueSchema = z
  .string()
  .max(8192)
  .regex(
    /^[\t\x20-\x7e\x80-\xff]*$/,
    'only Latin-1 characters, without line breaks or control characters, can be sent in a header',
  )
// A bearer token is one word (RFC 6750 b64token and friends): no spaces or line breaks.
const BearerTokenSchema = z
  .string()
  .min(1)
  .max(8192)
  .regex(/^[\x21-\x7e\x80-\xff]+$/, 'a token is one word: no spaces, line breaks or emoji')

export const HeaderSchema = z.object({ name: HeaderNameSchema, value: HeaderValueSchema })
export type Header = z.infer<typeof HeaderSchema>

/**
 * How Switchboard signs in to the server. Secrets are write-only: on update, an omitted `token`
 * (or header `value`) keeps the stored one.
 */
export const McpAuthInputSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('none') }).strict(),
  z.object({ type: z.literal('bearer'), token: BearerTokenSchema.optional() }).strict(),
  z
    .object({
      type: z.literal('headers'),
      headers: z
        .array(HeaderSchema.extend({ value: HeaderValueSchema.optional() }))
        .min(1)
        .max(32),
    })
    .strict(),
  z
    .object({
      type: z.literal('oauth'),
      scope: z.string().max(1000).optional(),
      clientId: z.string().max(500).optional(),
      clientSecret: z.string().max(2000).optional(),
    })
    .strict(),
])
export type McpAuthInput = z.infer<typeof McpAuthInputSchema>

export const TimeoutsSchema = z
  .object({
    connectMs: z.number().int().min(500).max(120_000).optional(),
    requestMs: z.number().int().min(1_000).max(3_600_000).optional(),
  })
  .strict()
export type Timeouts = z.infer<typeof TimeoutsSchema>

const UrlSchema = z
  .string()
  .trim()
  .max(2048)
  .refine((v) => URL.canParse(v), 'not a URL')
  // Credentials in the URL would be stored and shown as plain text: they belong in Auth.
  .refine(
    (v) => !URL.canParse(v) || (new URL(v).username === '' && new URL(v).password === ''),
    'put the user name and password in Auth (a bearer token or an Authorization header), not in the URL',
  )

export const McpServerCreateSchema = z
  .object({
    name: ServerNameSchema,
    description: z.string().trim().max(500).optional(),
    transport: McpTransportSchema,
    url: UrlSchema,
    auth: McpAuthInputSchema.default({ type: 'none' }),
    timeouts: TimeoutsSchema.optional(),
    enabled: z.boolean().default(true),
    /** Render the MCP Apps of the server's tools in their cards (default on). */
    renderApps: z.boolean().default(true),
    /** false: save even when the server cannot be reached (its error is kept as its status). */
    validate: z.boolean().default(true),
  })
  .strict()
  .superRefine(checkTransport)
  .meta({ id: 'McpServerCreate' })
export type McpServerCreate = z.infer<typeof McpServerCreateSchema>

export const McpServerUpdateSchema = z
  .object({
    name: ServerNameSchema.optional(),
    description: z.string().trim().max(500).nullable().optional(),
    transport: McpTransportSchema.optional(),
    url: UrlSchema.optional(),
    auth: McpAuthInputSchema.optional(),
    timeouts: TimeoutsSchema.optional(),
    enabled: z.boolean().optional(),
    renderApps: z.boolean().optional(),
    validate: z.boolean().default(true),
  })
  .strict()
  .superRefine(checkTransport)
  .meta({ id: 'McpServerUpdate' })
export type McpServerUpdate = z.infer<typeof McpServerUpdateSchema>

const URL_SCHEMES: Record<string, string[]> = {
  'streamable-http': ['http:', 'https:'],
  sse: ['http:', 'https:'],
  websocket: ['ws:', 'wss:'],
}

function checkTransport(
  value: { transport?: McpTransport; url?: string },
  ctx: z.RefinementCtx,
): void {
  if (value.transport === 'stdio') {
    ctx.addIssue({
      code: 'custom',
      path: ['transport'],
      message:
        "stdio servers run local commands: only the operator's switchboard.yaml may define them",
    })
    return
  }
  if (!value.transport || !value.url || !URL.canParse(value.url)) return
  const scheme = new URL(value.url).protocol
  const allowed = URL_SCHEMES[value.transport] ?? []
  if (!allowed.includes(scheme)) {
    ctx.addIssue({
      code: 'custom',
      path: ['url'],
      message: `a ${value.transport} server needs a ${allowed.join(' or ')} URL`,
    })
  }
}

/** What a reply says about auth: the kind, and whether a secret is set. Never the secret. */
export const McpAuthViewSchema = z.object({
  type: z.enum(['none', 'bearer', 'headers', 'oauth']),
  secretSet: z.boolean(),
  headerNames: z.array(z.string()).optional(),
  connected: z.boolean().optional(),
})
export type McpAuthView = z.infer<typeof McpAuthViewSchema>

export const ServerInfoSchema = z.object({
  name: z.string(),
  version: z.string(),
  title: z.string().optional(),
  protocolVersion: z.string().optional(),
  /** `modern`: 2026-07-28 or later, stateless; `legacy`: a 2025 session (see connect.ts). */
  era: z.enum(['modern', 'legacy']).optional(),
})
export type ServerInfo = z.infer<typeof ServerInfoSchema>

export const McpServerViewSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    transport: McpTransportSchema,
    url: z.string().nullable(),
    /** `config`: shared by the operator in switchboard.yaml, read-only for users. */
    source: z.enum(['user', 'config']),
    enabled: z.boolean(),
    /** MCP Apps of its tools render in their cards; off: the plain result instead. */
    renderApps: z.boolean(),
    status: McpServerStatusSchema,
    lastCheckedAt: z.iso.datetime().nullable(),
    lastError: z.string().nullable(),
    /** `lastError` as a message id and parameters, for the UI to say in the reader's language. */
    lastErrorReason: ErrorReasonSchema.nullable(),
    lastLatencyMs: z.number().nullable(),
    serverInfo: ServerInfoSchema.nullable(),
    auth: McpAuthViewSchema,
    timeouts: TimeoutsSchema,
    toolCount: z.number().int(),
    enabledToolCount: z.number().int(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'McpServer' })
export type McpServerView = z.infer<typeof McpServerViewSchema>

export const McpServerListSchema = z
  .object({ servers: z.array(McpServerViewSchema) })
  .meta({ id: 'McpServerList' })
export type McpServerList = z.infer<typeof McpServerListSchema>

export const ApprovalPolicySchema = z.enum(['auto', 'always', 'never'])
export type ApprovalPolicy = z.infer<typeof ApprovalPolicySchema>

const JsonObjectSchema = z.record(z.string(), z.unknown())

export const McpToolViewSchema = z
  .object({
    id: z.string(),
    serverId: z.string(),
    name: z.string(),
    title: z.string().nullable(),
    description: z.string().nullable(),
    inputSchema: JsonObjectSchema,
    outputSchema: JsonObjectSchema.nullable(),
    annotations: JsonObjectSchema.nullable(),
    enabled: z.boolean(),
    approvalPolicy: ApprovalPolicySchema,
    /** The server changed this definition since it was last accepted; see previousDefinition. */
    changed: z.boolean(),
    previousDefinition: JsonObjectSchema.nullable(),
    /** The tool's MCP App (`_meta.ui`): the `ui://` resource its results render with. */
    app: z
      .object({
        resourceUri: z.string(),
        /** Who may call it: `model` (offered in chat), `app` (its server's apps). */
        visibility: z.array(z.enum(['model', 'app'])),
        /** sha-256 of the app's HTML and meta as last read; a new one marks the tool changed. */
        hash: z.string().nullable(),
      })
      .nullable(),
    lastSyncedAt: z.iso.datetime(),
  })
  .meta({ id: 'McpTool' })
export type McpToolView = z.infer<typeof McpToolViewSchema>

export const McpToolListSchema = z
  .object({ tools: z.array(McpToolViewSchema) })
  .meta({ id: 'McpToolList' })
export type McpToolList = z.infer<typeof McpToolListSchema>

export const McpToolUpdateSchema = z
  .object({
    enabled: z.boolean().optional(),
    approvalPolicy: ApprovalPolicySchema.optional(),
    /** Accept the server's changed definition (clears the `changed` mark). */
    acceptChange: z.literal(true).optional(),
  })
  .strict()
  .refine((v) => Object.keys(v).length > 0, 'nothing to update')
  .meta({ id: 'McpToolUpdate' })
export type McpToolUpdate = z.infer<typeof McpToolUpdateSchema>

/**
 * `PATCH /api/user/mcp-servers/:id/tools`: switch every tool of the server on or off ("Enable
 * all"), or only `toolIds` among them (the ones a filtered list shows).
 */
export const McpToolsSwitchSchema = z
  .object({
    enabled: z.boolean(),
    toolIds: z.array(z.uuid()).min(1).max(2_000).optional(),
  })
  .strict()
  .meta({ id: 'McpToolsSwitch' })
export type McpToolsSwitch = z.infer<typeof McpToolsSwitchSchema>

export const McpToolsSwitchResultSchema = z
  .object({
    /** How many tools this request switched (those already so were left alone). */
    changed: z.number().int(),
    tools: z.array(McpToolViewSchema),
  })
  .meta({ id: 'McpToolsSwitchResult' })
export type McpToolsSwitchResult = z.infer<typeof McpToolsSwitchResultSchema>

export const McpServerTestResultSchema = z
  .object({
    ok: z.boolean(),
    status: McpServerStatusSchema,
    latencyMs: z.number().nullable(),
    serverInfo: ServerInfoSchema.nullable(),
    toolCount: z.number().int().nullable(),
    skippedTools: z.array(z.object({ name: z.string(), reason: z.string() })),
    error: z
      .object({ code: z.string(), message: z.string(), reason: ErrorReasonSchema.optional() })
      .nullable(),
  })
  .meta({ id: 'McpServerTestResult' })
export type McpServerTestResult = z.infer<typeof McpServerTestResultSchema>

export const McpServerSyncResultSchema = z
  .object({
    server: McpServerViewSchema,
    added: z.array(z.string()),
    removed: z.array(z.string()),
    changed: z.array(z.string()),
    skipped: z.array(z.object({ name: z.string(), reason: z.string() })),
    truncated: z.boolean(),
  })
  .meta({ id: 'McpServerSyncResult' })
export type McpServerSyncResult = z.infer<typeof McpServerSyncResultSchema>

export const McpServerStatsSchema = z
  .object({
    servers: z.object({
      total: z.number().int(),
      byStatus: z.record(McpServerStatusSchema, z.number().int()),
    }),
    tools: z.object({ total: z.number().int(), enabled: z.number().int() }),
  })
  .meta({ id: 'McpServerStats' })
export type McpServerStats = z.infer<typeof McpServerStatsSchema>
