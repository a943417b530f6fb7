import { z } from 'zod'
import { ErrorReasonSchema } from './error-reasons.ts'
import { ModelIdSchema } from './models.ts'

// Model providers as the admin sets them up (issue 16, item 4): OpenRouter and any number of
// OpenAI-compatible endpoints, the models each offers, and the default. Keys are write-only: a
// view says whether one is set, never what it is.

export const PROVIDER_KINDS = ['openrouter', 'openai-compatible'] as const
export const ProviderKindSchema = z.enum(PROVIDER_KINDS)
export type ProviderKind = z.infer<typeof ProviderKindSchema>

/** At most this many models on offer per provider. */
export const PROVIDER_MODELS_MAX = 500
export const PROVIDER_NAME_MAX = 80
export const PROVIDER_KEY_MAX = 1_000

/** A model on offer: the provider's id, and optionally a label for the picker. */
export const ProviderModelSchema = z.object({
  id: ModelIdSchema,
  label: z.string().trim().max(200).nullable().optional(),
})
export type ProviderModel = z.infer<typeof ProviderModelSchema>

/**
 * Where a setting comes from. `environment`: environment variables (or switchboard.yaml); they
 * win, and the admin UI cannot change them. `admin`: set in the admin UI.
 */
export const SettingSourceSchema = z.enum(['environment', 'admin'])
export type SettingSource = z.infer<typeof SettingSourceSchema>

export const ModelProviderViewSchema = z
  .object({
    /** `environment` for the one from environment variables. */
    id: z.string(),
    kind: ProviderKindSchema,
    name: z.string(),
    /** Null: OpenRouter's own API. */
    baseUrl: z.string().nullable(),
    /** Whether a key is set; the key itself never leaves the server. */
    hasApiKey: z.boolean(),
    /**
     * The models on offer, in order. From the environment with no `chat.models` allowlist, the
     * provider's whole catalogue is on offer as well (`offersCatalog`).
     */
    models: z.array(z.object({ id: z.string(), label: z.string().nullable() })),
    offersCatalog: z.boolean(),
    source: SettingSourceSchema,
    /** An OpenRouter provider set here while OPENROUTER_API_KEY is set: the environment's wins. */
    overridden: z.boolean(),
    createdAt: z.iso.datetime().nullable(),
    updatedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'ModelProvider' })
export type ModelProviderView = z.infer<typeof ModelProviderViewSchema>

const ProviderNameSchema = z.string().trim().min(1).max(PROVIDER_NAME_MAX)
const BaseUrlSchema = z
  .url({ protocol: /^https?$/, error: 'an http(s) URL, e.g. http://localhost:11434/v1' })
  .max(2_000)
const ApiKeySchema = z.string().trim().min(1).max(PROVIDER_KEY_MAX)

export const ModelProviderCreateSchema = z
  .object({
    kind: ProviderKindSchema,
    name: ProviderNameSchema,
    /** Required for OpenAI-compatible endpoints; for OpenRouter, only to reach a proxy of it. */
    baseUrl: BaseUrlSchema.nullable().optional(),
    /** Required for OpenRouter; optional for endpoints that take none (Ollama). */
    apiKey: ApiKeySchema.nullable().optional(),
    models: z.array(ProviderModelSchema).max(PROVIDER_MODELS_MAX).optional(),
  })
  .strict()
  .meta({ id: 'ModelProviderCreate' })
export type ModelProviderCreate = z.infer<typeof ModelProviderCreateSchema>

/** Fields left out stay; `apiKey: null` removes the key. */
export const ModelProviderUpdateSchema = z
  .object({
    name: ProviderNameSchema.optional(),
    baseUrl: BaseUrlSchema.nullable().optional(),
    apiKey: ApiKeySchema.nullable().optional(),
    models: z.array(ProviderModelSchema).max(PROVIDER_MODELS_MAX).optional(),
  })
  .strict()
  .meta({ id: 'ModelProviderUpdate' })
export type ModelProviderUpdate = z.infer<typeof ModelProviderUpdateSchema>

/** `POST /api/admin/model-providers/:id/test`: the provider's model list, or why not. */
export const ModelProviderTestSchema = z
  .object({
    ok: z.boolean(),
    latencyMs: z.number().int(),
    /** The provider's catalogue (empty when the test failed). */
    models: z.array(z.object({ id: z.string(), name: z.string().nullable() })),
    /** English, with a reason for the UI to say it in the reader's language. */
    error: z.object({ message: z.string(), reason: ErrorReasonSchema.optional() }).nullable(),
  })
  .meta({ id: 'ModelProviderTest' })
export type ModelProviderTest = z.infer<typeof ModelProviderTestSchema>

export const ModelSettingsViewSchema = z
  .object({
    /** The model a conversation uses until one is picked. */
    defaultModel: z.string(),
    /** `environment`: LLM_MODEL or switchboard.yaml sets it (cannot be changed here). */
    defaultModelSource: SettingSourceSchema,
    /** Users may set their own OpenRouter key (used for their conversations only). */
    userKeysAllowed: z.boolean(),
  })
  .meta({ id: 'ModelSettings' })
export type ModelSettingsView = z.infer<typeof ModelSettingsViewSchema>

export const ModelSettingsUpdateSchema = z
  .object({
    /** Null: back to the configured default. */
    defaultModel: ModelIdSchema.nullable().optional(),
    userKeysAllowed: z.boolean().optional(),
  })
  .strict()
  .meta({ id: 'ModelSettingsUpdate' })
export type ModelSettingsUpdate = z.infer<typeof ModelSettingsUpdateSchema>

/** `GET /api/admin/model-providers`: the environment's provider first, then the admin's. */
export const ModelProviderListSchema = z
  .object({ providers: z.array(ModelProviderViewSchema), settings: ModelSettingsViewSchema })
  .meta({ id: 'ModelProviderList' })
export type ModelProviderList = z.infer<typeof ModelProviderListSchema>

/** `GET|PUT /api/user/model-key`: the caller's own OpenRouter key, write-only. */
export const UserModelKeyViewSchema = z
  .object({
    /** The admin lets users bring their own key. */
    allowed: z.boolean(),
    hasKey: z.boolean(),
  })
  .meta({ id: 'UserModelKey' })
export type UserModelKeyView = z.infer<typeof UserModelKeyViewSchema>

export const UserModelKeyUpdateSchema = z
  .object({ apiKey: ApiKeySchema })
  .strict()
  .meta({ id: 'UserModelKeyUpdate' })
export type UserModelKeyUpdate = z.infer<typeof UserModelKeyUpdateSchema>
