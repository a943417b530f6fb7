import { z } from 'zod'
import { ModelIdSchema } from './models.ts'

// A conversation's own settings (instructions: a system prompt of the user's; the servers whose
// tools it offers), and presets: those settings and a model, saved under a name to start
// conversations from.

export const INSTRUCTIONS_MAX = 20_000
export const PRESET_NAME_MAX = 100
export const SERVER_IDS_MAX = 100

/**
 * The user's instructions for a conversation, sent to the model after the operator's system
 * prompt. Blank text means none (stored as null).
 */
export const InstructionsSchema = z.string().max(INSTRUCTIONS_MAX)

/**
 * The servers (own or shared) whose tools a conversation offers the model. Null: every server
 * of the user, as they are switched on; an empty list: no tools at all.
 */
export const ServerIdsSchema = z.array(z.uuid()).max(SERVER_IDS_MAX)

export const PresetSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    /** Null: the operator's default model. */
    model: z.string().nullable(),
    instructions: z.string().nullable(),
    serverIds: z.array(z.string()).nullable(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Preset' })
export type Preset = z.infer<typeof PresetSchema>

/**
 * How a conversation starts, sent with its first message (the web app's new conversations are
 * drafts until then): a preset's settings, and/or instructions and servers of its own (these win).
 */
export const ConversationStartSchema = z
  .object({
    presetId: z.uuid().optional(),
    instructions: InstructionsSchema.nullable().optional(),
    serverIds: ServerIdsSchema.nullable().optional(),
  })
  .strict()
  .meta({ id: 'ConversationStart' })
export type ConversationStart = z.infer<typeof ConversationStartSchema>

const PresetNameSchema = z.string().trim().min(1).max(PRESET_NAME_MAX)

export const PresetCreateSchema = z
  .object({
    name: PresetNameSchema,
    model: ModelIdSchema.nullable().optional(),
    instructions: InstructionsSchema.nullable().optional(),
    serverIds: ServerIdsSchema.nullable().optional(),
  })
  .strict()
  .meta({ id: 'PresetCreate' })
export type PresetCreate = z.infer<typeof PresetCreateSchema>

export const PresetUpdateSchema = z
  .object({
    name: PresetNameSchema.optional(),
    model: ModelIdSchema.nullable().optional(),
    instructions: InstructionsSchema.nullable().optional(),
    serverIds: ServerIdsSchema.nullable().optional(),
  })
  .strict()
  .refine((v) => Object.keys(v).length > 0, 'nothing to update')
  .meta({ id: 'PresetUpdate' })
export type PresetUpdate = z.infer<typeof PresetUpdateSchema>

export const PresetListSchema = z
  .object({
    /** By name. */
    presets: z.array(PresetSchema),
  })
  .meta({ id: 'PresetList' })
export type PresetList = z.infer<typeof PresetListSchema>
