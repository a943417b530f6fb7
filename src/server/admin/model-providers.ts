import { reasonOf } from '../../shared/error-reasons.ts'
import type {
  ModelProviderCreate,
  ModelProviderList,
  ModelProviderTest,
  ModelProviderUpdate,
  ModelProviderView,
  ModelSettingsUpdate,
  ModelSettingsView,
  ProviderModel,
} from '../../shared/model-providers.ts'
import { recordAudit } from '../audit/audit-log.ts'
import { CatalogFetchError, fetchCatalog } from '../chat/model-catalog.ts'
import {
  type ActiveProvider,
  announceModelChange,
  ENV_PROVIDER_ID,
  type ModelDirectory,
  type ModelSetup,
} from '../chat/model-directory.ts'
import { isModelOnOffer } from '../chat/model-offer.ts'
import type { Config } from '../config/config.ts'
import type { SecretBox } from '../crypto/secret-box.ts'
import type { Db } from '../db/database.ts'
import {
  deleteProviderRow,
  findProviderRow,
  findProviderRowByName,
  insertProviderRow,
  type ProviderModelRow,
  updateProviderRow,
  writeModelSettings,
} from '../db/model-providers.ts'
import type { ModelProviderRow } from '../db/schema.ts'
import { AppError, ConflictError, NotFoundError, ValidationError } from '../errors.ts'
import type { EventBus } from '../events/event-bus.ts'
import type { Logger } from '../log.ts'
import { toMcpFailure } from '../mcp/client/upstream-errors.ts'
import type { UpstreamHttp } from '../mcp/client/upstream-http.ts'
import type { AdminActor } from './invitations.ts'

// The admin's model providers: one writer for the rows, which seals keys, checks what is on offer
// and announces every change to all instances (chat/model-directory.ts reloads).

export interface ModelAdminDeps {
  db: Db
  box: SecretBox
  config: Pick<Config, 'chat'>
  log: Logger
  now: () => Date
  events: EventBus
  modelDirectory: ModelDirectory
  upstreamHttp: Pick<UpstreamHttp, 'fetch'>
}

const TEST_TIMEOUT_MS = 10_000

export async function listModelProviders(deps: ModelAdminDeps): Promise<ModelProviderList> {
  const setup = await deps.modelDirectory.current()
  return { providers: providerViews(setup), settings: settingsView(setup) }
}

export async function createModelProvider(
  deps: ModelAdminDeps,
  input: ModelProviderCreate & { admin: AdminActor },
): Promise<ModelProviderView> {
  const setup = await deps.modelDirectory.current()
  if (input.kind === 'openrouter') {
    if (deps.config.chat.provider?.kind === 'openrouter')
      throw setByEnvironment('OPENROUTER_API_KEY')
    if (setup.rows.some((row) => row.kind === 'openrouter')) {
      throw new ValidationError([
        { field: 'kind', message: 'there is an OpenRouter provider already: change that one' },
      ])
    }
    if (!input.apiKey) {
      throw new ValidationError([
        {
          field: 'apiKey',
          message: 'OpenRouter needs an API key',
          reason: reasonOf('modelProvider.keyRequired', {}),
        },
      ])
    }
  } else if (!input.baseUrl) {
    throw new ValidationError([
      {
        field: 'baseUrl',
        message:
          'an OpenAI-compatible endpoint needs its base URL (e.g. http://localhost:11434/v1)',
        reason: reasonOf('modelProvider.urlRequired', {}),
      },
    ])
  }
  await checkNameFree(deps, input.name)
  const models = normalizeModels(input.models ?? [])
  checkModelsFree(setup, models, null)
  const row = await insertProviderRow(deps.db, {
    kind: input.kind,
    name: input.name,
    baseUrl: input.baseUrl ?? null,
    apiKey: input.apiKey ? deps.box.seal(null, input.apiKey) : null,
    models,
    at: deps.now(),
  }).catch((error: unknown) => {
    throw isUniqueViolation(error) ? nameTaken(input.name) : error
  })
  announceModelChange(deps)
  await auditProvider(deps, input.admin, 'admin.model_provider_added', row, {
    keySet: input.apiKey !== undefined && input.apiKey !== null,
  })
  return viewOfRow(row, setup, false)
}

export async function updateModelProvider(
  deps: ModelAdminDeps,
  input: { id: string; changes: ModelProviderUpdate; admin: AdminActor },
): Promise<ModelProviderView> {
  const existing = await findAdminRow(deps, input.id)
  const { changes } = input
  const setup = await deps.modelDirectory.current()
  if (changes.name !== undefined && changes.name !== existing.name) {
    await checkNameFree(deps, changes.name)
  }
  if (existing.kind === 'openai-compatible' && changes.baseUrl === null) {
    throw new ValidationError([
      {
        field: 'baseUrl',
        message: 'an OpenAI-compatible endpoint needs its base URL',
        reason: reasonOf('modelProvider.urlRequired', {}),
      },
    ])
  }
  if (existing.kind === 'openrouter' && changes.apiKey === null) {
    throw new ValidationError([
      {
        field: 'apiKey',
        message: 'OpenRouter needs an API key',
        reason: reasonOf('modelProvider.keyRequired', {}),
      },
    ])
  }
  const models = changes.models === undefined ? undefined : normalizeModels(changes.models)
  if (models) checkModelsFree(setup, models, existing.id)
  const row = await updateProviderRow(deps.db, {
    id: existing.id,
    ...(changes.name !== undefined ? { name: changes.name } : {}),
    ...(changes.baseUrl !== undefined ? { baseUrl: changes.baseUrl } : {}),
    ...(changes.apiKey !== undefined
      ? { apiKey: changes.apiKey === null ? null : deps.box.seal(null, changes.apiKey) }
      : {}),
    ...(models ? { models } : {}),
    at: deps.now(),
  }).catch((error: unknown) => {
    throw isUniqueViolation(error) ? nameTaken(changes.name ?? existing.name) : error
  })
  if (!row) throw new NotFoundError('model provider')
  announceModelChange(deps)
  // Which fields changed, never their values: a key is a secret, a URL may hold one.
  await auditProvider(deps, input.admin, 'admin.model_provider_changed', row, {
    changed: Object.keys(changes),
  })
  return viewOfRow(
    row,
    setup,
    setup.overridden.some((o) => o.id === row.id),
  )
}

export async function deleteModelProvider(
  deps: ModelAdminDeps,
  input: { id: string; admin: AdminActor },
): Promise<void> {
  const existing = await findAdminRow(deps, input.id)
  if (!(await deleteProviderRow(deps.db, existing.id))) throw new NotFoundError('model provider')
  announceModelChange(deps)
  await auditProvider(deps, input.admin, 'admin.model_provider_removed', existing, {})
}

/**
 * Lists the provider's models (`GET {base}/models`) the way chat will reach it: the admin's
 * providers through the SSRF guard. A failure is an answer too, in words (`ok: false`).
 */
export async function testModelProvider(
  deps: ModelAdminDeps,
  input: { id: string },
): Promise<ModelProviderTest> {
  const target = await testTarget(deps, input.id)
  const started = performance.now()
  const latency = () => Math.round(performance.now() - started)
  try {
    const models = await fetchCatalog(
      target.fetch ?? globalThis.fetch,
      target.provider,
      TEST_TIMEOUT_MS,
    )
    return {
      ok: true,
      latencyMs: latency(),
      models: models.map((model) => ({ id: model.id, name: model.name })),
      error: null,
    }
  } catch (error) {
    return {
      ok: false,
      latencyMs: latency(),
      models: [],
      error: describeTestFailure(error, target),
    }
  }
}

export async function updateModelSettings(
  deps: ModelAdminDeps,
  input: { changes: ModelSettingsUpdate; admin: AdminActor },
): Promise<ModelSettingsView> {
  const { changes } = input
  if (changes.defaultModel !== undefined) {
    if (deps.config.chat.defaultModelFixed) throw setByEnvironment('LLM_MODEL or chat.defaultModel')
    if (changes.defaultModel !== null && !(await isModelOnOffer(deps, changes.defaultModel))) {
      throw new ValidationError([
        {
          field: 'defaultModel',
          message: `"${changes.defaultModel}" is not on offer: offer it at a provider first`,
          reason: reasonOf('modelProvider.notOffered', { model: changes.defaultModel }),
        },
      ])
    }
  }
  await writeModelSettings(deps.db, { ...changes, at: deps.now() })
  announceModelChange(deps)
  await recordAudit(deps, {
    userId: input.admin.id,
    actor: input.admin.email,
    action: 'admin.model_settings_changed',
    ip: input.admin.ip,
    details: { ...changes },
  })
  return settingsView(await deps.modelDirectory.current())
}

function auditProvider(
  deps: ModelAdminDeps,
  admin: AdminActor,
  action:
    | 'admin.model_provider_added'
    | 'admin.model_provider_changed'
    | 'admin.model_provider_removed',
  row: Pick<ModelProviderRow, 'id' | 'name' | 'kind'>,
  details: Record<string, unknown>,
): Promise<void> {
  return recordAudit(deps, {
    userId: admin.id,
    actor: admin.email,
    action,
    target: { type: 'model_provider', id: row.id },
    ip: admin.ip,
    details: { name: row.name, kind: row.kind, ...details },
  })
}

// ---- views -------------------------------------------------------------------------------------

function providerViews(setup: ModelSetup): ModelProviderView[] {
  const env = setup.providers.find((p) => p.id === ENV_PROVIDER_ID)
  const views: ModelProviderView[] = env ? [viewOfEnv(env)] : []
  const overridden = new Set(setup.overridden.map((row) => row.id))
  for (const row of setup.rows) views.push(viewOfRow(row, setup, overridden.has(row.id)))
  return views
}

function viewOfEnv(provider: ActiveProvider): ModelProviderView {
  return {
    id: provider.id,
    kind: provider.kind,
    name: provider.name,
    baseUrl: provider.baseUrl,
    hasApiKey: provider.apiKey !== null && provider.apiKey !== '',
    models: provider.models,
    offersCatalog: provider.offersCatalog,
    source: 'environment',
    overridden: false,
    createdAt: null,
    updatedAt: null,
  }
}

function viewOfRow(
  row: ModelProviderRow,
  _setup: ModelSetup,
  overridden: boolean,
): ModelProviderView {
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    baseUrl: row.base_url,
    hasApiKey: row.api_key !== null,
    models: row.models.map((m) => ({ id: m.id, label: m.label ?? null })),
    offersCatalog: false,
    source: 'admin',
    overridden,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  }
}

function settingsView(setup: ModelSetup): ModelSettingsView {
  return {
    defaultModel: setup.defaultModel,
    defaultModelSource: setup.defaultModelSource,
    userKeysAllowed: setup.userKeysAllowed,
  }
}

// ---- checks ------------------------------------------------------------------------------------

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** The admin's row; the environment's provider cannot be changed here (409), others are 404. */
async function findAdminRow(deps: ModelAdminDeps, id: string): Promise<ModelProviderRow> {
  if (id === ENV_PROVIDER_ID) throw setByEnvironment('environment variables')
  const row = UUID.test(id) ? await findProviderRow(deps.db, id) : undefined
  if (!row) throw new NotFoundError('model provider')
  return row
}

async function testTarget(deps: ModelAdminDeps, id: string) {
  if (id === ENV_PROVIDER_ID) {
    const provider = deps.config.chat.provider
    if (!provider) throw new NotFoundError('model provider')
    return {
      provider,
      fetch: undefined as typeof globalThis.fetch | undefined,
      name: 'environment',
    }
  }
  const row = await findAdminRow(deps, id)
  const apiKey = row.api_key === null ? null : deps.box.open(null, row.api_key)
  const provider =
    row.kind === 'openrouter'
      ? { kind: 'openrouter' as const, apiKey: apiKey ?? '', baseUrl: row.base_url }
      : { kind: 'openai-compatible' as const, baseUrl: row.base_url ?? '', apiKey }
  return {
    provider,
    fetch: deps.upstreamHttp.fetch({ trusted: false }) as typeof globalThis.fetch,
    name: row.name,
  }
}

/** What went wrong, in words: our reading of the answer, or the network's (SSRF, refused, DNS). */
function describeTestFailure(
  error: unknown,
  target: { provider: { baseUrl: string | null; apiKey: string | null }; name: string },
): ModelProviderTest['error'] {
  const redact = target.provider.apiKey ? [target.provider.apiKey] : []
  if (error instanceof CatalogFetchError && error.cause === undefined) {
    return { message: error.message, ...(error.reason ? { reason: error.reason } : {}) }
  }
  const cause = error instanceof CatalogFetchError ? error.cause : error
  if (error instanceof CatalogFetchError && error.reason?.key === 'modelProvider.timeout') {
    return { message: error.message, reason: error.reason }
  }
  const failure = toMcpFailure(
    cause,
    {
      name: target.name,
      url: target.provider.baseUrl ?? 'https://openrouter.ai/api/v1',
      transport: 'streamable-http',
    },
    { redact },
  )
  return { message: failure.message, reason: failure.reason }
}

async function checkNameFree(deps: ModelAdminDeps, name: string): Promise<void> {
  if (await findProviderRowByName(deps.db, name)) throw nameTaken(name)
}

function nameTaken(name: string): AppError {
  return new ConflictError('name_taken', `there is a model provider named "${name}" already`, {
    details: { field: 'name' },
    reason: reasonOf('modelProvider.nameTaken', { name }),
  })
}

function setByEnvironment(what: string): AppError {
  return new AppError(
    'set_by_environment',
    `this is set by ${what}, which win over the admin settings: change it there and restart`,
    { reason: reasonOf('modelProvider.setByEnvironment', {}) },
  )
}

/** Ids trimmed, the first of a repeated id kept; a blank label is none. */
function normalizeModels(models: ProviderModel[]): ProviderModelRow[] {
  const seen = new Set<string>()
  const out: ProviderModelRow[] = []
  for (const model of models) {
    if (seen.has(model.id)) continue
    seen.add(model.id)
    out.push({ id: model.id, label: model.label?.trim() ? model.label.trim() : null })
  }
  return out
}

/** A model id belongs to one provider: the picker's id must say which provider answers. */
function checkModelsFree(
  setup: ModelSetup,
  models: ProviderModelRow[],
  ownId: string | null,
): void {
  const issues = models.flatMap((model, index) => {
    const other = setup.providers.find(
      (p) => p.id !== ownId && p.models.some((m) => m.id === model.id),
    )
    return other
      ? [
          {
            field: `models.${index}.id`,
            message: `"${model.id}" is on offer from "${other.name}" already`,
            reason: reasonOf('modelProvider.modelTaken', { model: model.id, provider: other.name }),
          },
        ]
      : []
  })
  if (issues.length > 0) throw new ValidationError(issues)
}

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === '23505'
}
