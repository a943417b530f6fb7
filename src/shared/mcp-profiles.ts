import { z } from 'zod'
import { ServerIdsSchema } from './presets.ts'

/** In a URL (`/mcp/p/<name>`): lowercase letters, digits and dashes. */
export const ProfileNameSchema = z
  .string()
  .trim()
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/, 'lowercase letters, digits and dashes, up to 40')

/** The most single tools a profile names. */
export const PROFILE_TOOL_IDS_MAX = 1000

/** Single tools a profile offers besides its servers' (say only the reading tools of one server). */
export const ProfileToolIdsSchema = z
  .array(z.uuid())
  .max(PROFILE_TOOL_IDS_MAX)
  .describe("Single tools offered besides the servers' (ids from the server's tool list)")

/**
 * How a profile lists its tools. `all`: every tool, as `/mcp` does. `search`: only `search_tools`
 * (find tools by keywords) and `call_tool` (run one by name), for clients that would otherwise be
 * offered more tool definitions than their model's context holds.
 */
export const TOOL_MODES = ['all', 'search'] as const
export const ToolModeSchema = z
  .enum(TOOL_MODES)
  .describe('all: every tool is listed; search: only search_tools and call_tool are listed')
export type ToolMode = z.infer<typeof ToolModeSchema>

/**
 * How a profile names its tools and prompts to MCP clients: `prefixed`, `<server>__<name>` (unique
 * across servers); `plain`, the server's own name where no other server of the profile has it
 * (prefixed where names clash), for clients that expect a server's own names.
 */
export const ProfileToolNamesSchema = z.enum(['prefixed', 'plain'])
export type ProfileToolNames = z.infer<typeof ProfileToolNamesSchema>

/** A profile of the personal MCP endpoint: a named subset of the user's servers and tools. */
export const McpProfileSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    /** The servers it offers (their tools, prompts and resources). */
    serverIds: z.array(z.string()),
    /** Single tools it offers besides its servers' (their servers' prompts and resources not). */
    toolIds: z.array(z.string()),
    /** Those of `toolIds` that still exist, with their servers and names (to show them). */
    tools: z.array(z.object({ id: z.string(), serverId: z.string(), name: z.string() })),
    toolMode: ToolModeSchema,
    toolNames: ProfileToolNamesSchema,
    /** Where MCP clients reach it. */
    url: z.string(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'McpProfile' })
export type McpProfile = z.infer<typeof McpProfileSchema>

export const McpProfileCreateSchema = z
  .object({
    name: ProfileNameSchema,
    serverIds: ServerIdsSchema,
    toolIds: ProfileToolIdsSchema.optional(),
    /** Default `all`. */
    toolMode: ToolModeSchema.optional(),
    toolNames: ProfileToolNamesSchema.default('prefixed'),
  })
  .strict()
  .meta({ id: 'McpProfileCreate' })
export type McpProfileCreate = z.infer<typeof McpProfileCreateSchema>

export const McpProfileUpdateSchema = z
  .object({
    name: ProfileNameSchema.optional(),
    serverIds: ServerIdsSchema.optional(),
    toolIds: ProfileToolIdsSchema.optional(),
    toolMode: ToolModeSchema.optional(),
    toolNames: ProfileToolNamesSchema.optional(),
  })
  .strict()
  .refine((value) => Object.keys(value).length > 0, 'nothing to update')
  .meta({ id: 'McpProfileUpdate' })
export type McpProfileUpdate = z.infer<typeof McpProfileUpdateSchema>

export const McpProfileListSchema = z
  .object({ profiles: z.array(McpProfileSchema) })
  .meta({ id: 'McpProfileList' })
