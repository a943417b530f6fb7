import { z } from 'zod'

/** Longer URIs are refused (and never listed): no link, log line or form field should carry more. */
export const MAX_RESOURCE_URI_CHARS = 2048

/** A resource or a resource template of a server, as discovery kept it. */
export const McpResourceViewSchema = z
  .object({
    id: z.string(),
    serverId: z.string(),
    kind: z.enum(['resource', 'template']),
    /** The resource's URI, or the template's RFC 6570 URI template (`file:///{path}`). */
    uri: z.string(),
    name: z.string(),
    title: z.string().nullable(),
    description: z.string().nullable(),
    mimeType: z.string().nullable(),
    /** Bytes, as the server declares them. */
    size: z.number().nullable(),
    /** `audience`, `priority`, `lastModified` (MCP resource annotations). */
    annotations: z.record(z.string(), z.unknown()).nullable(),
  })
  .meta({ id: 'McpResource' })
export type McpResourceView = z.infer<typeof McpResourceViewSchema>

/** `GET /api/user/mcp-resources?q=`: resources and templates of all the user's servers. */
export const McpResourceSearchQuerySchema = z.object({
  q: z.string().trim().max(200).default(''),
  limit: z.coerce.number().int().min(1).max(100).default(30),
})

export const McpResourceMatchSchema = McpResourceViewSchema.extend({
  serverName: z.string(),
}).meta({ id: 'McpResourceMatch' })
export type McpResourceMatch = z.infer<typeof McpResourceMatchSchema>

export const McpResourceMatchesSchema = z
  .object({ resources: z.array(McpResourceMatchSchema) })
  .meta({ id: 'McpResourceMatches' })
export type McpResourceMatches = z.infer<typeof McpResourceMatchesSchema>

export const McpResourceListSchema = z
  .object({
    resources: z.array(McpResourceViewSchema),
    templates: z.array(McpResourceViewSchema),
    /** What discovery left out, and why. */
    skipped: z.array(z.object({ uri: z.string(), reason: z.string() })),
    /** The server lists more than Switchboard keeps. */
    truncated: z.boolean(),
    /** Why the last listing failed (the resources shown are from the one before), or null. */
    error: z.string().nullable(),
  })
  .meta({ id: 'McpResourceList' })
export type McpResourceList = z.infer<typeof McpResourceListSchema>

export const McpResourceReadQuerySchema = z.object({
  uri: z
    .string()
    .min(1)
    .max(MAX_RESOURCE_URI_CHARS)
    .regex(/^[A-Za-z][A-Za-z0-9+.-]*:\S+$/, 'a URI with a scheme, such as file:///notes.txt'),
})

/** One part of what `resources/read` returned: text, or bytes as base64. */
export const McpResourceContentSchema = z
  .object({
    uri: z.string(),
    mimeType: z.string().nullable(),
    text: z.string().optional(),
    /** base64 */
    blob: z.string().optional(),
  })
  .meta({ id: 'McpResourceContent' })
export type McpResourceContent = z.infer<typeof McpResourceContentSchema>

export const McpResourceReadSchema = z
  .object({ contents: z.array(McpResourceContentSchema) })
  .meta({ id: 'McpResourceRead' })
export type McpResourceRead = z.infer<typeof McpResourceReadSchema>
