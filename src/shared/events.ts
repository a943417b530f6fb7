import { z } from 'zod'
import { McpServerStatusSchema } from './mcp-servers.ts'

/** A server's status changed (or was re-checked): what the servers page needs to update a row. */
export const ServerStatusEventSchema = z.object({
  type: z.literal('server.status'),
  serverId: z.string(),
  status: McpServerStatusSchema,
  lastError: z.string().nullable(),
  lastCheckedAt: z.iso.datetime().nullable(),
  lastLatencyMs: z.number().nullable(),
})

/** The server's cached tool list changed (sync, update, or the server said so). */
export const ServerToolsEventSchema = z.object({
  type: z.literal('server.tools'),
  serverId: z.string(),
  added: z.array(z.string()),
  removed: z.array(z.string()),
  changed: z.array(z.string()),
})

/**
 * Everything `GET /api/events` sends, as the `data` of SSE messages whose `event` is the type.
 * Later issues add tool-call progress and results here.
 */
export const AppEventSchema = z
  .discriminatedUnion('type', [ServerStatusEventSchema, ServerToolsEventSchema])
  .meta({ id: 'AppEvent' })
export type AppEvent = z.infer<typeof AppEventSchema>
