import { z } from 'zod'
import { EmailDomainSchema } from './admin-users.ts'

/**
 * The operator's `switchboard.yaml`. Every key is optional; environment variables win over the
 * file for the settings both can set (see `src/server/config/load-config.ts`).
 */
/**
 * A shared MCP server defined by the operator. Values may name environment variables as `${VAR}`
 * (operator config only: nothing a user sends is ever expanded). `command` means stdio.
 */
export const ConfigServerSchema = z
  .object({
    description: z.string().max(500).optional(),
    transport: z.enum(['streamable-http', 'sse', 'websocket', 'stdio']).optional(),
    url: z.string().min(1).optional(),
    headers: z.record(z.string(), z.string()).optional(),
    command: z.string().min(1).optional(),
    args: z.array(z.string()).optional(),
    env: z.record(z.string(), z.string()).optional(),
    cwd: z.string().optional(),
    timeouts: z
      .object({
        connectMs: z.number().int().min(500).max(120_000).optional(),
        requestMs: z.number().int().min(1_000).max(3_600_000).optional(),
      })
      .strict()
      .optional(),
    enabled: z.boolean().optional(),
    /** true: this server wins over a user's server of the same name, and the name is reserved. */
    override: z.boolean().optional(),
  })
  .strict()
  .superRefine((server, ctx) => {
    const transport = server.transport ?? (server.command ? 'stdio' : 'streamable-http')
    if (transport === 'stdio' && !server.command) {
      ctx.addIssue({ code: 'custom', path: ['command'], message: 'a stdio server needs a command' })
    }
    if (transport !== 'stdio' && !server.url) {
      ctx.addIssue({ code: 'custom', path: ['url'], message: `a ${transport} server needs a url` })
    }
  })
export type ConfigServer = z.infer<typeof ConfigServerSchema>

/**
 * Single sign-on with an OpenID Connect provider (`auth.oidc`). The client secret never sits in
 * the file: it is read from the environment variable `clientSecretEnv` names (`OIDC_CLIENT_SECRET`
 * unless set). The redirect URI to register at the provider is `<public URL>/api/auth/callback/oidc`.
 */
export const OidcConfigSchema = z
  .object({
    /** The provider's issuer; its discovery document must name exactly this issuer. */
    issuer: z.url(),
    clientId: z.string().min(1).max(500),
    /** Name of the environment variable that holds the client secret. */
    clientSecretEnv: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name')
      .optional(),
    /** Scopes asked for (`openid` is always added); default: openid, email, profile. */
    scopes: z.array(z.string().regex(/^[\x21\x23-\x5b\x5d-\x7e]+$/, 'a scope')).optional(),
    /** Shown on the button: "Sign in with <displayName>". */
    displayName: z.string().trim().min(1).max(60).optional(),
    /** Members of any of these groups are admins; set, the provider decides the role at each sign-in. */
    adminGroups: z.array(z.string().min(1)).min(1).optional(),
    /** The claim (ID token or userinfo) listing the user's groups. */
    groupsClaim: z.string().min(1).optional(),
    /** false: only single sign-on; email + password sign-in and sign-up are refused. */
    allowPasswordLogin: z.boolean().optional(),
    /** false: new people are not given an account at their first sign-in (only existing ones link). */
    createAccounts: z.boolean().optional(),
    /**
     * false: trust the provider's emails without an `email_verified` claim (some providers, such
     * as Microsoft Entra ID, send none). Only for a provider whose emails its admins control.
     */
    requireVerifiedEmail: z.boolean().optional(),
  })
  .strict()
export type OidcConfigFile = z.infer<typeof OidcConfigSchema>

export const ConfigFileSchema = z
  .object({
    server: z
      .object({
        port: z.number().int().min(0).max(65535).optional(),
        host: z.string().min(1).optional(),
        publicUrl: z.url().optional(),
        trustProxy: z.boolean().optional(),
        /** Largest request body accepted (bytes); larger ones get 413 before they are read. */
        maxBodyBytes: z.number().int().min(16_384).max(1_073_741_824).optional(),
        /** Largest body of a chat request (a message and its attachments). */
        maxChatBodyBytes: z.number().int().min(16_384).max(1_073_741_824).optional(),
      })
      .strict()
      .optional(),
    database: z
      .object({ url: z.string().min(1).optional() })
      .strict()
      .optional(),
    redis: z
      .object({ url: z.string().min(1).optional() })
      .strict()
      .optional(),
    dataDir: z.string().min(1).optional(),
    /**
     * Fixes the registration policy (the admin page then shows it, read-only): `true`/`open`,
     * `false`/`closed`, `invite-only`, or `{ domains: [...] }`. Not set: admins choose.
     */
    registration: z
      .union([
        z.boolean(),
        z.enum(['open', 'invite-only', 'closed']),
        z.object({ domains: z.array(EmailDomainSchema).min(1).max(100) }).strict(),
      ])
      .optional(),
    auth: z
      .object({
        sessionDays: z.number().int().min(1).max(365).optional(),
        loginAttempts: z
          .object({
            perAccount: z.number().int().min(1).optional(),
            perIp: z.number().int().min(1).optional(),
            windowSeconds: z.number().int().min(1).optional(),
          })
          .strict()
          .optional(),
        oidc: OidcConfigSchema.optional(),
      })
      .strict()
      .optional(),
    /** Hosts users' MCP server URLs may point at despite the SSRF guard (`mcp.internal`, `*.corp.example`, `10.0.0.5:8080`). */
    allowedHosts: z.array(z.string().min(1)).optional(),
    /** true, or a list of CIDRs (`10.0.0.0/8`), that users' MCP servers may resolve to. */
    allowPrivateNetworks: z.union([z.boolean(), z.array(z.string().min(1))]).optional(),
    mcp: z
      .object({
        connectTimeoutMs: z.number().int().min(500).max(120_000).optional(),
        /**
         * Deadline of a request to a server that sets none of its own (tool calls have
         * `toolCalls.timeoutMs`, checks `connectTimeoutMs`); a server's `timeouts.requestMs` wins.
         */
        requestTimeoutMs: z.number().int().min(1_000).max(3_600_000).optional(),
        maxToolsPerServer: z.number().int().min(1).max(100_000).optional(),
        maxDescriptionChars: z.number().int().min(100).max(100_000).optional(),
        healthCheckIntervalMs: z.number().int().min(0).max(86_400_000).optional(),
        healthCheckIdleIntervalMs: z
          .number()
          .int()
          .min(0)
          .max(7 * 86_400_000)
          .optional(),
        userIdleAfterMs: z
          .number()
          .int()
          .min(1_000)
          .max(30 * 86_400_000)
          .optional(),
        healthCheckConcurrency: z.number().int().min(1).max(1_000).optional(),
        sessionIdleMs: z.number().int().min(1_000).max(86_400_000).optional(),
        maxSessions: z.number().int().min(1).max(100_000).optional(),
      })
      .strict()
      .optional(),
    toolCalls: z
      .object({
        /** Upstream timeout of one call unless the server sets its own; progress resets it. */
        timeoutMs: z.number().int().min(1_000).max(3_600_000).optional(),
        /** Hard cap on a call however much progress it reports. */
        maxDurationMs: z.number().int().min(1_000).max(86_400_000).optional(),
        /** A sync call still running after this long answers 202 and goes on as async. */
        asyncAfterMs: z.number().int().min(100).max(3_600_000).optional(),
        elicitationTimeoutMs: z.number().int().min(1_000).max(3_600_000).optional(),
        /** Results larger than this (serialized JSON) are truncated and marked so. */
        maxResultBytes: z.number().int().min(1_024).max(100_000_000).optional(),
        /** A call's arguments larger than this (serialized JSON) are refused with 413. */
        maxArgumentBytes: z.number().int().min(1_024).max(100_000_000).optional(),
        /**
         * A running call's row and in-flight slot are renewed this often. A call silent for three
         * heartbeats is marked interrupted by any instance; a slot lives two.
         */
        heartbeatMs: z.number().int().min(100).max(600_000).optional(),
        rateLimit: z
          .object({
            /** Token bucket per user: this many calls, refilled over `perSeconds`. */
            perUser: z.number().int().min(1).optional(),
            /** Token bucket per (user, server). */
            perServer: z.number().int().min(1).optional(),
            perSeconds: z.number().int().min(1).max(86_400).optional(),
            /** Calls one user may have running at once. */
            maxInFlightPerUser: z.number().int().min(1).max(10_000).optional(),
          })
          .strict()
          .optional(),
        /** Argument keys whose values are masked in stored calls (matched case-insensitively). */
        secretKeys: z.array(z.string().min(1)).optional(),
      })
      .strict()
      .optional(),
    chat: z
      .object({
        /** Models on offer; the first is the default unless `defaultModel` says otherwise. */
        models: z
          .array(
            z.union([
              z.string().min(1),
              z.object({ id: z.string().min(1), label: z.string().min(1).optional() }).strict(),
            ]),
          )
          .optional(),
        defaultModel: z.string().min(1).optional(),
        /** Most model steps (tool round trips) in one turn. */
        maxSteps: z.number().int().min(1).max(100).optional(),
        /** Past this many enabled tools, the model gets `search_tools` instead of all of them. */
        toolBudget: z.number().int().min(1).max(1_000).optional(),
        /** Tool results longer than this reach the model truncated. */
        maxToolResultChars: z.number().int().min(1_000).max(1_000_000).optional(),
        systemPrompt: z.string().max(20_000).optional(),
        /** Files users attach to messages: the largest of each kind, and what a model reads. */
        attachments: z
          .object({
            /** Largest image (PNG, JPEG, GIF, WebP) in bytes. */
            maxImageBytes: z
              .number()
              .int()
              .min(1_024)
              .max(100 * 1024 * 1024)
              .optional(),
            /** Largest text file (UTF-8) in bytes. */
            maxTextBytes: z
              .number()
              .int()
              .min(1_024)
              .max(100 * 1024 * 1024)
              .optional(),
            /** Largest PDF in bytes (its text is what the model reads). */
            maxPdfBytes: z
              .number()
              .int()
              .min(1_024)
              .max(100 * 1024 * 1024)
              .optional(),
            /** A text file or PDF reaches the model cut to this many characters. */
            maxTextChars: z.number().int().min(1_000).max(2_000_000).optional(),
          })
          .strict()
          .optional(),
      })
      .strict()
      .optional(),
    /** Shared MCP servers every user sees (read-only), keyed by name. */
    mcpServers: z
      .record(
        z
          .string()
          .regex(/^[\p{L}\p{N}][\p{L}\p{N} _.-]{0,63}$/u, 'a plain name of up to 64 characters'),
        ConfigServerSchema,
      )
      .optional(),
    log: z
      .object({ level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']) })
      .strict()
      .optional(),
    /** Prometheus metrics at `GET /metrics` (`METRICS_ENABLED`, `METRICS_TOKEN` win). */
    metrics: z
      .object({
        enabled: z.boolean().optional(),
        /** Scrapers must send `Authorization: Bearer <token>`; better set as `METRICS_TOKEN`. */
        token: z.string().min(1).optional(),
      })
      .strict()
      .optional(),
    /** The personal MCP endpoint at `/mcp` (`MCP_ENDPOINT_ENABLED` wins): on by default. */
    mcpEndpoint: z
      .object({
        enabled: z.boolean().optional(),
        /**
         * OAuth dynamic client registration for MCP clients that predate Client ID Metadata
         * Documents (`MCP_DYNAMIC_CLIENT_REGISTRATION` wins): on by default.
         */
        dynamicClientRegistration: z.boolean().optional(),
      })
      .strict()
      .optional(),
  })
  .strict()
export type ConfigFile = z.infer<typeof ConfigFileSchema>
