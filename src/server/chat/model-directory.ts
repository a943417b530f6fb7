import type { ProviderKind, SettingSource } from '../../shared/model-providers.ts'
import type { Config } from '../config/config.ts'
import type { SecretBox } from '../crypto/secret-box.ts'
import type { Db } from '../db/database.ts'
import { listProviderRows, readModelSettings } from '../db/model-providers.ts'
import type { ModelProviderRow } from '../db/schema.ts'
import type { EventBus } from '../events/event-bus.ts'
import type { Logger } from '../log.ts'
import type { UpstreamHttp } from '../mcp/client/upstream-http.ts'
import { createModelCatalog, type ModelCatalog } from './model-catalog.ts'

/** The id of the provider that environment variables configure. */
export const ENV_PROVIDER_ID = 'environment'

/** A provider chat can use now: the environment's, or one the admin set up (key opened). */
export interface ActiveProvider {
  id: string
  kind: ProviderKind
  name: string
  baseUrl: string | null
  /** The plaintext key: only ever sent to the provider itself. */
  apiKey: string | null
  /** The models on offer from it, in order (label null: the catalogue's name, else the id). */
  models: { id: string; label: string | null }[]
  /** Its whole catalogue is on offer too (the environment's provider with no allowlist). */
  offersCatalog: boolean
  source: SettingSource
  catalog: ModelCatalog
  /** How to reach it: the admin's go through the SSRF guard; the operator's env one is trusted. */
  fetch: typeof globalThis.fetch | undefined
}

/** How chat is set up right now: the providers in order, the default model, the switches. */
export interface ModelSetup {
  providers: ActiveProvider[]
  /** OpenRouter providers set in the UI that OPENROUTER_API_KEY overrides (not used). */
  overridden: ModelProviderRow[]
  /** Every row of the admin's providers (for the admin's list). */
  rows: ModelProviderRow[]
  defaultModel: string
  defaultModelSource: SettingSource
  userKeysAllowed: boolean
  /** No provider offers its whole catalogue: only the listed models are on offer. */
  allowlist: boolean
}

/**
 * The model setup, cached on this instance: environment variables and config first (they win),
 * then the providers and settings the admin saved. Whoever changes those calls `announce`, which
 * drops the cache here and, through the event bus, on every other instance; the cache also
 * expires after `ttlMs`, which bounds how long a lost message keeps an old setup elsewhere.
 */
export interface ModelDirectory {
  current(): Promise<ModelSetup>
  /** Forgets the cached setup on this instance only (the signal's listener). */
  forget(): void
}

export interface ModelDirectoryDeps {
  db: Db
  box: SecretBox
  config: Pick<Config, 'chat'>
  log: Logger
  now: () => Date
  upstreamHttp: Pick<UpstreamHttp, 'fetch'>
}

export function createModelDirectory(
  deps: ModelDirectoryDeps,
  options: { ttlMs?: number } = {},
): ModelDirectory {
  const ttlMs = options.ttlMs ?? 30_000
  const { chat } = deps.config
  const envProvider = chat.provider
  const envCatalog = createModelCatalog({
    chat: { provider: envProvider },
    log: deps.log,
    now: deps.now,
  })
  // Catalogues outlive a reload: keyed by provider and version, so an edit starts a fresh one.
  const catalogs = new Map<string, ModelCatalog>()
  let cached: { setup: Promise<ModelSetup>; at: number } | null = null
  let generation = 0

  const guardedFetch = deps.upstreamHttp.fetch({ trusted: false }) as typeof globalThis.fetch

  const catalogFor = (row: ModelProviderRow, apiKey: string | null): ModelCatalog => {
    const key = `${row.id}@${row.updated_at.toISOString()}`
    let catalog = catalogs.get(key)
    if (!catalog) {
      for (const old of catalogs.keys()) if (old.startsWith(`${row.id}@`)) catalogs.delete(old)
      const provider =
        row.kind === 'openrouter'
          ? { kind: 'openrouter' as const, apiKey: apiKey ?? '', baseUrl: row.base_url }
          : { kind: 'openai-compatible' as const, baseUrl: row.base_url ?? '', apiKey }
      catalog = createModelCatalog({
        chat: { provider },
        log: deps.log,
        now: deps.now,
        fetch: guardedFetch,
      })
      catalogs.set(key, catalog)
    }
    return catalog
  }

  const load = async (): Promise<ModelSetup> => {
    const [rows, settings] = await Promise.all([
      listProviderRows(deps.db),
      readModelSettings(deps.db),
    ])
    const providers: ActiveProvider[] = []
    if (envProvider) {
      providers.push({
        id: ENV_PROVIDER_ID,
        kind: envProvider.kind,
        name: envProvider.kind === 'openrouter' ? 'OpenRouter' : 'OpenAI-compatible',
        baseUrl: envProvider.baseUrl,
        apiKey: envProvider.apiKey,
        models: chat.models.map((m) => ({ id: m.id, label: m.label === m.id ? null : m.label })),
        offersCatalog: !chat.modelAllowlist,
        source: 'environment',
        catalog: envCatalog,
        fetch: undefined,
      })
    }
    const overridden: ModelProviderRow[] = []
    for (const row of rows) {
      if (row.kind === 'openrouter' && envProvider?.kind === 'openrouter') {
        overridden.push(row)
        continue
      }
      const apiKey = openKey(deps, row)
      providers.push({
        id: row.id,
        kind: row.kind,
        name: row.name,
        baseUrl: row.base_url,
        apiKey,
        models: row.models.map((m) => ({ id: m.id, label: m.label ?? null })),
        offersCatalog: false,
        source: 'admin',
        catalog: catalogFor(row, apiKey),
        fetch: guardedFetch,
      })
    }
    const offered = providers.flatMap((p) => p.models.map((m) => m.id))
    // A default whose provider went away no longer counts (a catalogue may still offer it).
    const adminDefault =
      settings.defaultModel !== null &&
      (offered.includes(settings.defaultModel) || providers.some((p) => p.offersCatalog))
        ? settings.defaultModel
        : null
    const defaultModel = chat.defaultModelFixed
      ? chat.defaultModel
      : (adminDefault ?? (envProvider ? chat.defaultModel : (offered[0] ?? chat.defaultModel)))
    return {
      providers,
      overridden,
      rows,
      defaultModel,
      defaultModelSource: chat.defaultModelFixed ? 'environment' : 'admin',
      userKeysAllowed: settings.userKeysAllowed,
      allowlist: !providers.some((p) => p.offersCatalog),
    }
  }

  return {
    current() {
      const now = Date.now()
      if (cached && now - cached.at < ttlMs) return cached.setup
      const mine = ++generation
      const setup = load()
      cached = { setup, at: now }
      // A failed read is not cached: the next request tries again.
      setup.catch(() => {
        if (generation === mine) cached = null
      })
      return setup
    },
    forget() {
      generation += 1
      cached = null
    },
  }
}

/** A key that cannot be opened (the master key changed) is logged and treated as none. */
function openKey(
  deps: Pick<ModelDirectoryDeps, 'box' | 'log'>,
  row: ModelProviderRow,
): string | null {
  if (row.api_key === null) return null
  try {
    return deps.box.open(null, row.api_key)
  } catch (err) {
    deps.log.error({ err, providerId: row.id }, 'the model provider key cannot be opened')
    return null
  }
}

/** Every instance forgets its model setup when one changed it. Returns the unsubscribe. */
export function watchModelSignals(deps: {
  events: EventBus
  modelDirectory: ModelDirectory
}): () => void {
  return deps.events.onInstanceSignal('model-setup.changed', () => deps.modelDirectory.forget())
}

/** The model setup changed: forget it here and on every other instance. */
export function announceModelChange(deps: { events: EventBus; modelDirectory: ModelDirectory }) {
  deps.modelDirectory.forget()
  deps.events.signalInstances({ type: 'model-setup.changed' })
}
