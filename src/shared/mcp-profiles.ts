import { z } from 'zod'
import { ServerIdsSchema } from './presets.ts'

/** In a URL (`/mcp/p/<name>`): lowercase letters, digits and dashes. */
export const ProfileNameSchema = z
  .string()
  .trim()
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/, 'lowercase letters, digits and dashes, up to 40')

/**
 * How a profile names its tools and prompts to MCP clients: `prefixed`, `<server>__<name>` (unique
 * across servers); `plain`, the server's own name where no other server of the profile has it
 * (prefixed where names clash), for clients that expect a server's own names.
 */
export const ProfileToolNamesSchema = z.enum(['prefixed', 'plain'])
export type ProfileToolNames = z.infer<typeof ProfileToolNamesSchema>

/** A profile of the personal MCP endpoint: a named subset of the user's servers. */
export const McpProfileSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    /** The servers it offers (their tools, prompts and resources). */
    serverIds: z.array(z.string()),
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
    toolNames: ProfileToolNamesSchema.default('prefixed'),
  })
  .strict()
  .meta({ id: 'McpProfileCreate' })
export type McpProfileCreate = z.infer<typeof McpProfileCreateSchema>

export const McpProfileUpdateSchema = z
  .object({
    name: ProfileNameSchema.optional(),
    serverIds: ServerIdsSchema.optional(),
    toolNames: ProfileToolNamesSchema.optional(),
  })
  .strict()
  .refine((value) => Object.keys(value).length > 0, 'nothing to update')
  .meta({ id: 'McpProfileUpdate' })
export type McpProfileUpdate = z.infer<typeof McpProfileUpdateSchema>

export const McpProfileListSchema = z
  .object({ profiles: z.array(McpProfileSchema) })
  .meta({ id: 'McpProfileList' })
