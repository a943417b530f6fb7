import { z } from 'zod'
import { MAX_RESOURCE_URI_CHARS } from './mcp-resources.ts'

/**
 * `POST /api/user/mcp-servers/:id/complete`: suggestions for one argument of a prompt or one
 * variable of a resource template (MCP `completion/complete`), as the user types it.
 */
export const CompletionRequestSchema = z
  .object({
    ref: z.discriminatedUnion('type', [
      z.object({
        type: z.literal('ref/resource'),
        /** The template (`file:///{path}`). */
        uri: z.string().min(1).max(MAX_RESOURCE_URI_CHARS),
      }),
      z.object({ type: z.literal('ref/prompt'), name: z.string().min(1).max(200) }),
    ]),
    argument: z.object({ name: z.string().min(1).max(200), value: z.string().max(1000) }),
    /** What the user filled in already, for servers whose suggestions depend on it. */
    context: z
      .object({ arguments: z.record(z.string().max(200), z.string().max(1000)) })
      .optional(),
  })
  .strict()
  .meta({ id: 'CompletionRequest' })
export type CompletionRequest = z.infer<typeof CompletionRequestSchema>

export const CompletionSchema = z
  .object({
    /** At most 100, in the server's order; none when the server offers no completions. */
    values: z.array(z.string()),
    /** How many there are in all, when the server says. */
    total: z.number().int().nullable(),
    hasMore: z.boolean(),
  })
  .meta({ id: 'Completion' })
export type Completion = z.infer<typeof CompletionSchema>
