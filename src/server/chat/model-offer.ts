import type { CatalogStatus, ModelPricing } from '../../shared/models.ts'
import type { CatalogModel, CatalogSnapshot } from './model-catalog.ts'
import type { ActiveProvider, ModelDirectory, ModelSetup } from './model-directory.ts'

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
  /** The catalogue the status speaks of: the worst of the providers'. */
  snapshot: CatalogSnapshot
  setup: ModelSetup
}

export type ModelOfferDeps = { modelDirectory: ModelDirectory }

/**
 * The models on offer, provider by provider (the environment's first): each provider's listed
 * models always are (also when its catalogue cannot be reached); a provider that offers its
 * catalogue (the environment's with no `chat.models` allowlist) adds the rest of it after them.
 * A model id offered by two providers belongs to the first. Catalogue details (context, prices,
 * what the model reads) are added wherever a catalogue lists the model.
 */
export async function listModelsOnOffer(deps: ModelOfferDeps): Promise<ModelOffer> {
  const setup = await deps.modelDirectory.current()
  const snapshots = await Promise.all(setup.providers.map((p) => p.catalog.get()))
  const seen = new Set<string>()
  const models: OfferedModel[] = []
  setup.providers.forEach((provider, index) => {
    const catalog = snapshots[index]?.models ?? []
    const byId = new Map(catalog.map((model) => [model.id, model]))
    for (const model of provider.models) {
      if (seen.has(model.id)) continue
      seen.add(model.id)
      models.push(toOffered(model.id, model.label, byId.get(model.id)))
    }
    if (!provider.offersCatalog) return
    const rest = catalog
      .filter((model) => !seen.has(model.id))
      .map((model) => toOffered(model.id, null, model))
      .sort((a, b) => a.label.localeCompare(b.label, 'en'))
    for (const model of rest) seen.add(model.id)
    models.push(...rest)
  })
  const { status, snapshot } = worstOf(snapshots)
  return { models, status, snapshot, setup }
}

/**
 * The provider that serves `modelId`, or undefined when no provider offers it: a listed model
 * (no catalogue needed), or one of the catalogue of a provider that offers its catalogue.
 */
export async function findProviderFor(
  deps: ModelOfferDeps,
  modelId: string,
): Promise<ActiveProvider | undefined> {
  const setup = await deps.modelDirectory.current()
  const listed = setup.providers.find((p) => p.models.some((m) => m.id === modelId))
  if (listed) return listed
  for (const provider of setup.providers) {
    if (!provider.offersCatalog) continue
    const snapshot = await provider.catalog.get()
    if (snapshot.models?.some((model) => model.id === modelId)) return provider
  }
  return undefined
}

/** Whether a user may use `modelId`. */
export async function isModelOnOffer(deps: ModelOfferDeps, modelId: string): Promise<boolean> {
  return (await findProviderFor(deps, modelId)) !== undefined
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

function worstOf(snapshots: CatalogSnapshot[]): {
  status: CatalogStatus
  snapshot: CatalogSnapshot
} {
  const none: CatalogSnapshot = { models: null, fetchedAt: null, error: null }
  if (snapshots.length === 0) return { status: 'none', snapshot: none }
  const unavailable = snapshots.find((s) => s.models === null)
  if (unavailable) return { status: 'unavailable', snapshot: unavailable }
  const stale = snapshots.find((s) => s.error !== null)
  if (stale) return { status: 'stale', snapshot: stale }
  return { status: 'ok', snapshot: snapshots[0] ?? none }
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
