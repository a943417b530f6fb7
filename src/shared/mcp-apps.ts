import { z } from 'zod'

/**
 * Origins an app declares in its UI resource's `_meta.ui.csp` (MCP Apps spec 2026-01-26):
 * scheme and host, optionally a `*.` subdomain wildcard and a port. Nothing that could end a
 * CSP source list (spaces, quotes, semicolons) gets through.
 */
export const CspOriginSchema = z
  .string()
  .max(253)
  .regex(
    /^(https?|wss?):\/\/(\*\.)?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*(:\d{1,5})?$/,
    'an origin: scheme://host[:port]',
  )

const OriginListSchema = z.array(CspOriginSchema).max(32)

/** The CSP domains of an app, exactly as its resource declared them (all optional). */
export const McpAppCspSchema = z
  .object({
    connectDomains: OriginListSchema.optional(),
    resourceDomains: OriginListSchema.optional(),
    frameDomains: OriginListSchema.optional(),
    baseUriDomains: OriginListSchema.optional(),
  })
  .strict()
  .meta({ id: 'McpAppCsp' })
export type McpAppCsp = z.infer<typeof McpAppCspSchema>

/**
 * `GET /api/user/mcp-servers/:id/tools/:toolId/app`: the MCP App a tool renders its results
 * with, as cached when the tool was listed.
 */
export const McpAppViewSchema = z
  .object({
    toolId: z.string(),
    serverId: z.string(),
    resourceUri: z.string(),
    html: z.string(),
    /** Origins the app may reach: the sandbox's CSP is built from these and nothing else. */
    csp: McpAppCspSchema,
    /** Browser permissions the app asks for (camera, microphone, geolocation, clipboardWrite). */
    permissions: z.record(z.string(), z.object({}).loose()),
    prefersBorder: z.boolean().nullable(),
  })
  .meta({ id: 'McpApp' })
export type McpAppView = z.infer<typeof McpAppViewSchema>

/** The path of the sandbox page that hosts apps; `?csp=` carries `McpAppCsp` as JSON. */
export const MCP_APP_SANDBOX_PATH = '/mcp-app-sandbox'
