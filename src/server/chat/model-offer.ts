import type { CatalogStatus, ModelPricing } from '../../shared/models.ts'
import type { Config } from '../config/config.ts'
import type { CatalogModel, CatalogSnapshot, ModelCatalog } from './model-catalog.ts'

/** A model a user may pick, as the picker shows it. */
export interface OfferedModel {
  id: string
  label: string
  contextLength: number | null
  pricing: ModelPricing | null
  inputModalities: string[] | null
}

export interface ModelOffer {
  models: OfferedModel[]
  status: CatalogStatus
  snapshot: CatalogSnapshot
}

export type ModelOfferDeps = { config: Pick<Config, 'chat'>; modelCatalog: ModelCatalog }

/**
 * The models on offer. The operator's configured models always are (also when the provider's
 * catalogue cannot be reached); with `chat.models` set they are the only ones (the allowlist),
 * otherwise the provider's whole catalogue is on offer after them. Catalogue details (context,
 * prices, what the model reads) are added wherever the catalogue lists the model.
 */
export async function listModelsOnOffer(deps: ModelOfferDeps): Promise<ModelOffer> {
  const { chat } = deps.config
  const snapshot = await deps.modelCatalog.get()
  const catalog = snapshot.models ?? []
  const byId = new Map(catalog.map((model) => [model.id, model]))
  const configured = chat.models.map((model) =>
    toOffered(model.id, model.label === model.id ? null : model.label, byId.get(model.id)),
  )
  const status: CatalogStatus = !chat.provider
    ? 'none'
    : snapshot.models === null
      ? 'unavailable'
      : snapshot.error
        ? 'stale'
        : 'ok'
  if (chat.modelAllowlist) return { models: configured, status, snapshot }
  const listed = new Set(configured.map((model) => model.id))
  const rest = catalog
    .filter((model) => !listed.has(model.id))
    .map((model) => toOffered(model.id, null, model))
    .sort((a, b) => a.label.localeCompare(b.label, 'en'))
  return { models: [...configured, ...rest], status, snapshot }
}

/**
 * Whether a user may use `modelId`: one of the configured models (no catalogue needed), or,
 * without an allowlist, one the provider's catalogue lists.
 */
export async function isModelOnOffer(deps: ModelOfferDeps, modelId: string): Promise<boolean> {
  const { chat } = deps.config
  if (chat.models.some((model) => model.id === modelId)) return true
  if (chat.modelAllowlist || !chat.provider) return false
  const snapshot = await deps.modelCatalog.get()
  return snapshot.models?.some((model) => model.id === modelId) ?? false
}

/**
 * The model as it is on offer, with what the provider says it reads (`inputModalities`), or
 * undefined when it is not on offer. For checks that depend on the model (images, say).
 */
export async function findModelOnOffer(
  deps: ModelOfferDeps,
  modelId: string,
): Promise<OfferedModel | undefined> {
  const { models } = await listModelsOnOffer(deps)
  return models.find((model) => model.id === modelId)
}

function toOffered(
  id: string,
  label: string | null,
  entry: CatalogModel | undefined,
): OfferedModel {
  return {
    id,
    label: label ?? entry?.name ?? id,
    contextLength: entry?.contextLength ?? null,
    pricing: entry?.pricing ?? null,
    inputModalities: entry?.inputModalities ?? null,
  }
}
