import { z } from 'zod'

/**
 * A question an MCP server asks the user in the middle of a call (`elicitation/create`, form
 * mode): a message and a flat JSON Schema of the fields it wants. The server waits for the
 * answer, so the call's timeout is held meanwhile.
 */
export const ElicitationViewSchema = z
  .object({
    id: z.string(),
    serverId: z.string(),
    serverName: z.string(),
    message: z.string(),
    /** An object schema of primitive fields (string, number, integer, boolean, enums). */
    requestedSchema: z.record(z.string(), z.unknown()),
    /** The calls running on that server for this user when it asked (the likely askers). */
    calls: z.array(z.object({ id: z.string(), toolName: z.string() })),
    createdAt: z.iso.datetime(),
    expiresAt: z.iso.datetime(),
  })
  .meta({ id: 'Elicitation' })
export type ElicitationView = z.infer<typeof ElicitationViewSchema>

export const ElicitationListSchema = z
  .object({ elicitations: z.array(ElicitationViewSchema) })
  .meta({ id: 'ElicitationList' })

const FieldValueSchema = z.union([z.string(), z.number(), z.boolean(), z.array(z.string())])

/** The user's answer: accept with the form's content, decline, or cancel (dismiss). */
export const ElicitationAnswerSchema = z
  .object({
    action: z.enum(['accept', 'decline', 'cancel']),
    content: z.record(z.string(), FieldValueSchema).optional(),
  })
  .meta({ id: 'ElicitationAnswer' })
export type ElicitationAnswer = z.infer<typeof ElicitationAnswerSchema>

/** How a question ended: the user's action, or `expired` (nobody answered in time). */
export const ElicitationOutcomeSchema = z.enum(['accept', 'decline', 'cancel', 'expired'])
export type ElicitationOutcome = z.infer<typeof ElicitationOutcomeSchema>

export const ElicitationAnsweredSchema = z
  .object({
    /** `delivered`: this instance passed it to the server; `forwarded`: another instance holds it. */
    status: z.enum(['delivered', 'forwarded']),
  })
  .meta({ id: 'ElicitationAnswered' })
