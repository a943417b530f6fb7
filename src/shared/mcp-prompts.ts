import { z } from 'zod'

/** One argument of a prompt, as the server declares it. */
export const McpPromptArgumentSchema = z.object({
  name: z.string(),
  title: z.string().optional(),
  description: z.string().optional(),
  required: z.boolean(),
})
export type McpPromptArgument = z.infer<typeof McpPromptArgumentSchema>

/** A prompt of a server, as discovery kept it. */
export const McpPromptViewSchema = z
  .object({
    id: z.string(),
    serverId: z.string(),
    name: z.string(),
    title: z.string().nullable(),
    description: z.string().nullable(),
    arguments: z.array(McpPromptArgumentSchema),
  })
  .meta({ id: 'McpPrompt' })
export type McpPromptView = z.infer<typeof McpPromptViewSchema>

export const McpPromptListSchema = z
  .object({
    prompts: z.array(McpPromptViewSchema),
    /** What discovery left out, and why. */
    skipped: z.array(z.object({ name: z.string(), reason: z.string() })),
    /** The server lists more than Switchboard keeps. */
    truncated: z.boolean(),
    /** Why the last listing failed (the prompts shown are from the one before), or null. */
    error: z.string().nullable(),
  })
  .meta({ id: 'McpPromptList' })
export type McpPromptList = z.infer<typeof McpPromptListSchema>

/** `GET /api/user/mcp-prompts?q=`: prompts of all the user's servers (the chat's `/`). */
export const McpPromptSearchQuerySchema = z.object({
  q: z.string().trim().max(200).default(''),
  limit: z.coerce.number().int().min(1).max(100).default(30),
})

export const McpPromptMatchSchema = McpPromptViewSchema.extend({
  serverName: z.string(),
}).meta({ id: 'McpPromptMatch' })
export type McpPromptMatch = z.infer<typeof McpPromptMatchSchema>

export const McpPromptMatchesSchema = z
  .object({ prompts: z.array(McpPromptMatchSchema) })
  .meta({ id: 'McpPromptMatches' })
export type McpPromptMatches = z.infer<typeof McpPromptMatchesSchema>

export const PROMPT_ARGUMENT_MAX_CHARS = 10_000

/** `POST /api/user/mcp-servers/:id/prompts/:name/get`: the prompt's arguments, by name. */
export const McpPromptGetSchema = z
  .object({
    arguments: z
      .record(z.string().min(1).max(100), z.string().max(PROMPT_ARGUMENT_MAX_CHARS))
      .refine((value) => Object.keys(value).length <= 50, 'at most 50 arguments')
      .default({}),
  })
  .strict()
  .meta({ id: 'McpPromptGet' })
export type McpPromptGet = z.infer<typeof McpPromptGetSchema>

/** A prompt's message: who says it, and one MCP content block (text, image, resource…). */
export const McpPromptMessageSchema = z.object({
  role: z.enum(['user', 'assistant']),
  content: z.looseObject({ type: z.string() }),
})

/** The most text a prompt brings into the chat (its messages, as the model reads them). */
export const PROMPT_TEXT_MAX_CHARS = 100_000

export const McpPromptResultSchema = z
  .object({
    serverId: z.string(),
    serverName: z.string(),
    name: z.string(),
    title: z.string().nullable(),
    description: z.string().nullable(),
    arguments: z.record(z.string(), z.string()),
    messages: z.array(McpPromptMessageSchema),
    /**
     * The messages as one text, the way the chat sends them to the model: each message's text,
     * an embedded text resource inside `<resource>`, media and links named (not sent).
     */
    text: z.string(),
  })
  .meta({ id: 'McpPromptResult' })
export type McpPromptResult = z.infer<typeof McpPromptResultSchema>

/**
 * `data-prompt` of a user message: it starts with a server's prompt. `text` is what the model
 * reads before the user's own words; the server sets `server` and `title` from its own records.
 */
export const PromptPartDataSchema = z
  .object({
    serverId: z.uuid(),
    server: z.string().max(200),
    name: z.string().min(1).max(200),
    title: z.string().max(200).nullable(),
    arguments: McpPromptGetSchema.shape.arguments,
    text: z.string().min(1).max(PROMPT_TEXT_MAX_CHARS),
  })
  .strict()
export type PromptPartData = z.infer<typeof PromptPartDataSchema>
