import { z } from 'zod'
import { type ErrorReason, reasonOf } from '../../shared/error-reasons.ts'
import type { ModelPricing } from '../../shared/models.ts'
import type { Config } from '../config/config.ts'
import type { Logger } from '../log.ts'
import { sanitizeText } from '../untrusted-text.ts'

/** OpenRouter's API, where `OPENROUTER_BASE_URL` is not set (what the provider package uses). */
const OPENROUTER_BASE_URL = 'https://openrouter.ai/api/v1'
/** OpenRouter lists a few hundred models (about 1 MB); anything near this is not a catalogue. */
const MAX_BODY_BYTES = 16 * 1024 * 1024
const MAX_MODELS = 5_000

/** One model as the provider lists it, cleaned up. */
export interface CatalogModel {
  id: string
  /** The provider's display name, if it gives one. */
  name: string | null
  contextLength: number | null
  /** Per million tokens (OpenRouter's are per token); null when not given or not a price. */
  pricing: ModelPricing | null
  /** Null: the provider does not say. */
  inputModalities: string[] | null
}

/** The catalogue as last fetched, and how that went. */
export interface CatalogSnapshot {
  /** Null: never fetched successfully (or no provider). */
  models: CatalogModel[] | null
  fetchedAt: Date | null
  /** The last fetch failed with this (the models, if any, are from an earlier one). */
  error: string | null
}

/** The provider's model list, cached per instance. */
export interface ModelCatalog {
  /**
   * The catalogue, fetched at most once per `ttlMs` (concurrent callers share one fetch). A
   * failed fetch keeps the last good list and says why in `error`; it is not tried again for
   * `retryMs`, so a provider that is down does not slow every request down.
   */
  get(): Promise<CatalogSnapshot>
}

export interface ModelCatalogOptions {
  ttlMs?: number
  retryMs?: number
  timeoutMs?: number
}

export function createModelCatalog(
  deps: {
    chat: Pick<Config['chat'], 'provider'>
    log: Logger
    now: () => Date
    fetch?: typeof globalThis.fetch
  },
  options: ModelCatalogOptions = {},
): ModelCatalog {
  const ttlMs = options.ttlMs ?? 10 * 60_000
  const retryMs = options.retryMs ?? 60_000
  const timeoutMs = options.timeoutMs ?? 10_000
  const doFetch = deps.fetch ?? globalThis.fetch
  let snapshot: CatalogSnapshot = { models: null, fetchedAt: null, error: null }
  let triedAt = Number.NEGATIVE_INFINITY
  let inflight: Promise<CatalogSnapshot> | null = null

  const refresh = async (): Promise<CatalogSnapshot> => {
    const provider = deps.chat.provider
    if (!provider) return snapshot
    triedAt = deps.now().getTime()
    try {
      const models = await fetchCatalog(doFetch, provider, timeoutMs)
      snapshot = { models, fetchedAt: deps.now(), error: null }
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error)
      deps.log.warn({ err: message, provider: provider.kind }, 'model catalogue fetch failed')
      snapshot = { ...snapshot, error: message }
    }
    return snapshot
  }

  return {
    get() {
      if (!deps.chat.provider) return Promise.resolve(snapshot)
      const now = deps.now().getTime()
      const fresh =
        snapshot.error === null && snapshot.fetchedAt && now - snapshot.fetchedAt.getTime() < ttlMs
      const resting = snapshot.error !== null && now - triedAt < retryMs
      if (fresh || resting) return Promise.resolve(snapshot)
      inflight ??= refresh().finally(() => {
        inflight = null
      })
      return inflight
    },
  }
}

type Provider = NonNullable<Config['chat']['provider']>

/** Why a catalogue could not be read; `cause` is the network error, if that is what it was. */
export class CatalogFetchError extends Error {
  override name = 'CatalogFetchError'
  readonly reason: ErrorReason | undefined
  constructor(message: string, options: { reason?: ErrorReason; cause?: unknown } = {}) {
    super(message, { cause: options.cause })
    this.reason = options.reason
  }
}

/**
 * `GET {base}/models`: OpenRouter's catalogue, or an OpenAI-compatible `/v1/models` list. Throws
 * `CatalogFetchError` saying what went wrong.
 */
export async function fetchCatalog(
  doFetch: typeof globalThis.fetch,
  provider: Provider,
  timeoutMs: number,
): Promise<CatalogModel[]> {
  const base =
    provider.kind === 'openrouter'
      ? (provider.baseUrl ?? OPENROUTER_BASE_URL)
      : (provider.baseUrl as string)
  const url = `${base.replace(/\/+$/, '')}/models`
  const headers: Record<string, string> = { accept: 'application/json' }
  if (provider.apiKey) headers.authorization = `Bearer ${provider.apiKey}`
  let response: Response
  try {
    response = await doFetch(url, { headers, signal: AbortSignal.timeout(timeoutMs) })
  } catch (error) {
    const timedOut = error instanceof Error && error.name === 'TimeoutError'
    throw new CatalogFetchError(
      timedOut
        ? `the model provider did not answer GET ${url} within ${timeoutMs / 1000} s`
        : `the model provider could not be reached at ${url}`,
      {
        cause: error,
        reason: timedOut
          ? reasonOf('modelProvider.timeout', { url, seconds: timeoutMs / 1000 })
          : reasonOf('modelProvider.unreachable', { url }),
      },
    )
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => {})
    const status = response.status
    throw new CatalogFetchError(`the model provider answered ${status} to GET ${url}`, {
      reason:
        status === 401 || status === 403
          ? reasonOf('modelProvider.unauthorized', { status })
          : reasonOf('modelProvider.http', { status, url }),
    })
  }
  const text = await readCapped(response, MAX_BODY_BYTES)
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    throw new CatalogFetchError(`the model provider's answer to GET ${url} is not JSON`, {
      reason: reasonOf('modelProvider.notJson', { url }),
    })
  }
  const list = ModelListBodySchema.safeParse(body)
  if (!list.success) {
    throw new CatalogFetchError(
      `the model provider's answer to GET ${url} has no "data" list of models`,
      { reason: reasonOf('modelProvider.noModelList', { url }) },
    )
  }
  const models: CatalogModel[] = []
  const seen = new Set<string>()
  for (const raw of list.data.data.slice(0, MAX_MODELS)) {
    const entry = toCatalogModel(raw)
    if (entry && !seen.has(entry.id)) {
      seen.add(entry.id)
      models.push(entry)
    }
  }
  return models
}

const ModelListBodySchema = z.object({ data: z.array(z.unknown()) })

const PriceSchema = z.union([z.string(), z.number()]).nullish()

/**
 * One entry of either list: OpenRouter's (`name`, `context_length`, `pricing` in dollars per
 * token as strings, `architecture.input_modalities`) or OpenAI's (`id`, `owned_by`); vLLM adds
 * `max_model_len`. Every field but the id is optional: a catalogue is read as leniently as it can.
 */
const ModelEntrySchema = z.looseObject({
  id: z.string().min(1).max(200),
  name: z.string().nullish(),
  context_length: z.number().nullish(),
  max_model_len: z.number().nullish(),
  pricing: z.looseObject({ prompt: PriceSchema, completion: PriceSchema }).nullish(),
  architecture: z
    .looseObject({
      input_modalities: z.array(z.string()).nullish(),
      output_modalities: z.array(z.string()).nullish(),
    })
    .nullish(),
})

function toCatalogModel(raw: unknown): CatalogModel | null {
  const parsed = ModelEntrySchema.safeParse(raw)
  if (!parsed.success) return null
  const entry = parsed.data
  const id = sanitizeText(entry.id, { maxChars: 200 })
  const output = entry.architecture?.output_modalities
  // A model that answers only with images or audio cannot hold a chat.
  if (!id || (output && output.length > 0 && !output.includes('text'))) return null
  const context = entry.context_length ?? entry.max_model_len ?? null
  const name = entry.name ? sanitizeText(entry.name, { maxChars: 200 }) : ''
  const input = entry.architecture?.input_modalities
  return {
    id,
    name: name || null,
    contextLength: context !== null && Number.isInteger(context) && context > 0 ? context : null,
    pricing: pricingOf(entry.pricing?.prompt, entry.pricing?.completion),
    inputModalities: input
      ? input.slice(0, 20).map((modality) => sanitizeText(modality, { maxChars: 40 }))
      : null,
  }
}

/** Dollars per token (OpenRouter's strings, "-1" for a router's variable price) per million. */
function pricingOf(
  prompt: string | number | null | undefined,
  completion: string | number | null | undefined,
): ModelPricing | null {
  const perMillion = (value: string | number | null | undefined) => {
    if (value === null || value === undefined || value === '') return null
    const perToken = Number(value)
    if (!Number.isFinite(perToken) || perToken < 0) return null
    // Rounded to a millionth of a dollar: 0.00000015 * 1e6 is 0.15000000000000002.
    return Math.round(perToken * 1e12) / 1e6
  }
  const input = perMillion(prompt)
  const output = perMillion(completion)
  return input === null || output === null ? null : { prompt: input, completion: output }
}

/** The body as text, refusing one past `maxBytes` before reading it all. */
async function readCapped(response: Response, maxBytes: number): Promise<string> {
  const declared = Number(response.headers.get('content-length'))
  if (declared > maxBytes) {
    await response.body?.cancel().catch(() => {})
    throw new Error(`the model provider's catalogue is larger than ${maxBytes} bytes`)
  }
  if (!response.body) return ''
  const reader = response.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > maxBytes) {
      await reader.cancel().catch(() => {})
      throw new Error(`the model provider's catalogue is larger than ${maxBytes} bytes`)
    }
    chunks.push(value)
  }
  return Buffer.concat(chunks).toString('utf8')
}
