import { z } from 'zod'

// Models: the provider's catalogue as a user may use it (the operator's allowlist applied), with
// the user's favourites.

/** A model id as a provider names it (`openai/gpt-4o-mini`, `llama3.1:8b`). */
export const ModelIdSchema = z.string().trim().min(1).max(200)

/** A user may star at most this many models. */
export const FAVOURITES_MAX = 200

export const ModelPricingSchema = z.object({
  /** US dollars per million input (prompt) tokens. */
  prompt: z.number(),
  /** US dollars per million output (completion) tokens. */
  completion: z.number(),
})
export type ModelPricing = z.infer<typeof ModelPricingSchema>

export const ModelInfoSchema = z
  .object({
    id: z.string(),
    /** The operator's label, else the provider's name, else the id. */
    label: z.string(),
    /** Tokens of context; null when the provider does not say (OpenAI-compatible endpoints). */
    contextLength: z.number().int().nullable(),
    /** Null when the provider does not say (only OpenRouter does). */
    pricing: ModelPricingSchema.nullable(),
    /**
     * What the model reads (`text`, `image`, `file`, `audio`): null when the provider does not
     * say. Whether to send an image to it: see `acceptsImages`.
     */
    inputModalities: z.array(z.string()).nullable(),
    /** The caller starred it. */
    favourite: z.boolean(),
  })
  .meta({ id: 'ModelInfo' })
export type ModelInfo = z.infer<typeof ModelInfoSchema>

/**
 * Where the list came from. `ok`: the provider's catalogue, fetched recently. `stale`: the
 * catalogue could not be fetched again, this is the last one that could. `unavailable`: it
 * could never be fetched: only the operator's configured models are listed. `none`: no model
 * provider is configured.
 */
export const CatalogStatusSchema = z.enum(['ok', 'stale', 'unavailable', 'none'])
export type CatalogStatus = z.infer<typeof CatalogStatusSchema>

/** `GET /api/chat/models`: the models the caller may pick, in the provider's order. */
export const ModelListSchema = z
  .object({
    models: z.array(ModelInfoSchema),
    /** The model a conversation uses until one is picked. */
    defaultModel: z.string(),
    /** True when the operator limits the models to those in `chat.models`. */
    allowlist: z.boolean(),
    catalog: z.object({
      status: CatalogStatusSchema,
      /** When the catalogue shown was fetched. */
      fetchedAt: z.iso.datetime().nullable(),
      /** Why the last fetch failed (English, for the operator's logs and the API). */
      error: z.string().nullable(),
    }),
  })
  .meta({ id: 'ModelList' })
export type ModelList = z.infer<typeof ModelListSchema>

/** `GET /api/user/model-favourites`: the ids the caller starred, oldest first. */
export const ModelFavouriteListSchema = z
  .object({ modelIds: z.array(z.string()) })
  .meta({ id: 'ModelFavouriteList' })
export type ModelFavouriteList = z.infer<typeof ModelFavouriteListSchema>

/**
 * Whether a model reads images: true or false when the provider says, null when it does not
 * (an OpenAI-compatible endpoint lists ids only: sending an image is then a guess).
 */
export function acceptsImages(model: Pick<ModelInfo, 'inputModalities'>): boolean | null {
  return model.inputModalities === null ? null : model.inputModalities.includes('image')
}
