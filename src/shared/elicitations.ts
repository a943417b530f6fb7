import { z } from 'zod'

const ElicitationBaseSchema = z.object({
  id: z.string(),
  serverId: z.string(),
  serverName: z.string(),
  message: z.string(),
  /** The calls running on that server for this user when it asked (the likely askers). */
  calls: z.array(z.object({ id: z.string(), toolName: z.string() })),
  createdAt: z.iso.datetime(),
  expiresAt: z.iso.datetime(),
})

/** Form mode: a message and a flat JSON Schema of the fields the server wants filled in. */
export const FormElicitationViewSchema = ElicitationBaseSchema.extend({
  mode: z.literal('form'),
  /** An object schema of primitive fields (string, number, integer, boolean, enums). */
  requestedSchema: z.record(z.string(), z.unknown()),
}).meta({ id: 'FormElicitation' })

/**
 * URL mode: a link the server wants the user to open (to connect an account, say). The answer
 * is only whether they agreed to open it; what they do there never passes through Switchboard.
 */
export const UrlElicitationViewSchema = ElicitationBaseSchema.extend({
  mode: z.literal('url'),
  /** `https:` (`http:` only from the operator's servers), at most 2,000 characters, no user info. */
  url: z.string(),
  /** Where the link goes: the URL's host (port included when not the default), IDN in punycode. */
  host: z.string(),
}).meta({ id: 'UrlElicitation' })

/**
 * A question an MCP server asks the user in the middle of a call (`elicitation/create`), in form
 * or URL mode. The server waits for the answer, so the call's timeout is held meanwhile.
 */
export const ElicitationViewSchema = z
  .discriminatedUnion('mode', [FormElicitationViewSchema, UrlElicitationViewSchema])
  .meta({ id: 'Elicitation' })
export type ElicitationView = z.infer<typeof ElicitationViewSchema>
export type FormElicitationView = z.infer<typeof FormElicitationViewSchema>
export type UrlElicitationView = z.infer<typeof UrlElicitationViewSchema>

export const ElicitationListSchema = z
  .object({ elicitations: z.array(ElicitationViewSchema) })
  .meta({ id: 'ElicitationList' })

const FieldValueSchema = z.union([z.string(), z.number(), z.boolean(), z.array(z.string())])

/**
 * The user's answer: accept (with the form's content; none in URL mode, where accepting means
 * the user opened the link), decline, or cancel (dismiss).
 */
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
