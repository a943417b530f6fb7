import { z } from 'zod'

/** `GET /api/user/mcp-endpoint`: where the user's MCP clients connect, if they can. */
export const McpEndpointInfoSchema = z
  .object({
    /** The operator may switch the endpoint off (`mcpEndpoint.enabled` in switchboard.yaml). */
    enabled: z.boolean(),
    /** The endpoint at the public URL (`<public URL>/mcp`). */
    url: z.string(),
  })
  .meta({ id: 'McpEndpointInfo' })
export type McpEndpointInfo = z.infer<typeof McpEndpointInfoSchema>
