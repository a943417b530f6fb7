import type { RegistrationPolicy } from '../../shared/admin-users.ts'
import type { UserRole } from '../../shared/auth.ts'

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent'

/** The one typed configuration object, built once from env + switchboard.yaml and passed down. */
export interface Config {
  version: string
  port: number
  host: string
  /** Where browsers reach this instance; decides cookie `Secure` and the trusted origin. */
  publicUrl: string
  trustProxy: boolean
  /** What one request may carry: larger bodies get 413 before they are read. */
  limits: { bodyBytes: number; chatBodyBytes: number }
  dataDir: string
  database: { kind: 'pglite'; dataDir: string | null } | { kind: 'postgres'; url: string }
  redisUrl: string | null
  /** 32-byte master key: seals secrets at rest and signs session cookies (derived keys). */
  secretKey: Buffer
  /**
   * The registration policy as the operator fixed it (env wins over switchboard.yaml); null:
   * admins choose it on the admin page (stored in the database, open until they do).
   */
  registration: { policy: RegistrationPolicy; source: 'env' | 'file' } | null
  auth: {
    sessionDays: number
    loginAttempts: { perAccount: number; perIp: number; windowSeconds: number }
    /** false: email + password sign-in and sign-up are refused (single sign-on only). */
    passwordLogin: boolean
    /** Single sign-on with an OpenID Connect provider (`auth.oidc`); null: off. */
    oidc: OidcConfig | null
  }
  /** What users' MCP server URLs may reach (operator config servers are trusted). */
  ssrf: { allowedHosts: string[]; allowPrivateNetworks: boolean | string[] }
  mcp: {
    connectTimeoutMs: number
    requestTimeoutMs: number
    maxToolsPerServer: number
    maxDescriptionChars: number
    /** The fleet checks every enabled server about this often; 0 turns health checks off. */
    healthCheckIntervalMs: number
    /** Servers of users away (no request for `userIdleAfterMs`) are checked this often. */
    healthCheckIdleIntervalMs: number
    /** A user with no request for this long is away. */
    userIdleAfterMs: number
    /** At most this many health checks at once per instance. */
    healthCheckConcurrency: number
    /** Close an upstream session unused for this long. */
    sessionIdleMs: number
    /** Open upstream sessions at most (least recently used closed first). */
    maxSessions: number
  }
  toolCalls: {
    timeoutMs: number
    maxDurationMs: number
    asyncAfterMs: number
    /** How long a server's question to the user (elicitation) waits for an answer. */
    elicitationTimeoutMs: number
    maxResultBytes: number
    maxArgumentBytes: number
    /** Running calls' rows and in-flight slots are renewed this often (stale after 3 / 2). */
    heartbeatMs: number
    rateLimit: {
      perUser: number
      perServer: number
      perSeconds: number
      maxInFlightPerUser: number
    }
    secretKeys: string[]
  }
  chat: {
    /** OpenRouter (`OPENROUTER_API_KEY`), any OpenAI-compatible base URL, or none configured. */
    provider:
      | { kind: 'openrouter'; apiKey: string; baseUrl: string | null }
      | { kind: 'openai-compatible'; baseUrl: string; apiKey: string | null }
      | null
    /**
     * The operator's models (`chat.models`, `LLM_MODEL`, the default): always on offer, also
     * when the provider's catalogue cannot be reached.
     */
    models: { id: string; label: string }[]
    /** `chat.models` is set: only those models are on offer, not the provider's whole catalogue. */
    modelAllowlist: boolean
    defaultModel: string
    /**
     * `LLM_MODEL`, `chat.defaultModel` or `chat.models` decides the default: the admin UI
     * shows it and cannot change it.
     */
    defaultModelFixed: boolean
    maxSteps: number
    toolBudget: number
    maxToolResultChars: number
    systemPrompt: string
    /** Files users attach to messages (`chat.attachments`). */
    attachments: {
      maxImageBytes: number
      maxTextBytes: number
      maxPdfBytes: number
      /** A text file or PDF reaches the model cut to this many characters. */
      maxTextChars: number
    }
  }
  /** Shared servers from switchboard.yaml, `${VAR}`s already expanded. */
  mcpServers: SharedServerConfig[]
  log: { level: LogLevel; pretty: boolean }
  /** `GET /metrics` for Prometheus: off by default; with a token, only for its bearer. */
  metrics: { enabled: boolean; token: string | null }
  /**
   * The personal MCP endpoint (`/mcp`) for MCP clients; off, it answers 404. MCP clients sign in
   * with an API token or OAuth; `dynamicClientRegistration` lets clients older than Client ID
   * Metadata Documents register themselves (RFC 7591).
   */
  mcpEndpoint: { enabled: boolean; dynamicClientRegistration: boolean }
  /**
   * OpenTelemetry traces, on when an OTLP endpoint is set (`OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`
   * or `OTEL_EXPORTER_OTLP_ENDPOINT`): `url` is where spans are posted; null: tracing is off.
   */
  tracing: { url: string | null }
  /** Built web app to serve; null serves the API only. */
  webDir: string | null
}

export type { UserRole }

/** `auth.oidc`, validated, with the client secret read from the environment (never log it). */
export interface OidcConfig {
  issuer: string
  clientId: string
  clientSecret: string
  /** Asked for at the provider; always includes `openid`. */
  scopes: string[]
  displayName: string
  /** Empty: roles are Switchboard's to manage; else the provider's groups decide admin. */
  adminGroups: string[]
  groupsClaim: string
  createAccounts: boolean
  requireVerifiedEmail: boolean
}

/** An operator-defined MCP server, ready to connect to (it may hold secrets: never log it). */
export interface SharedServerConfig {
  name: string
  description: string | null
  transport: 'streamable-http' | 'sse' | 'websocket' | 'stdio'
  url: string | null
  /**
   * The URL as users see it: as written in the file, `${VAR}`s not expanded and any user name
   * and password removed, so a key in the URL never reaches a reply.
   */
  displayUrl: string | null
  headers: Record<string, string>
  command: string | null
  args: string[]
  env: Record<string, string>
  cwd: string | null
  timeouts: { connectMs?: number; requestMs?: number }
  enabled: boolean
  override: boolean
}

/** A configuration problem the operator must fix; start-up stops with this message. */
export class ConfigError extends Error {
  override name = 'ConfigError'
}
