import { createOpenAICompatible } from '@ai-sdk/openai-compatible'
import { createOpenRouter } from '@openrouter/ai-sdk-provider'
import type { LanguageModel } from 'ai'
import type { ChatConfig } from '../../shared/chat.ts'
import type { Config } from '../config/config.ts'
import type { SecretBox } from '../crypto/secret-box.ts'
import type { Db } from '../db/database.ts'
import { readUserModelSettings } from '../db/model-providers.ts'
import { AppError, ValidationError } from '../errors.ts'
import type { Logger } from '../log.ts'
import type { ActiveProvider, ModelSetup } from './model-directory.ts'
import { findProviderFor, isModelOnOffer, type ModelOfferDeps } from './model-offer.ts'

type ChatSettings = Config['chat']

export const NO_PROVIDER_MESSAGE =
  'No model provider is configured: an administrator can add one under Admin → Models, or set ' +
  'OPENROUTER_API_KEY (OpenRouter), or LLM_BASE_URL (and LLM_API_KEY if it needs one) for an ' +
  'OpenAI-compatible endpoint such as Ollama or vLLM, then restart Switchboard.'

/** `GET /api/chat/config`. */
export async function chatConfigForUser(
  deps: ModelOfferDeps & { config: Pick<Config, 'chat'> },
): Promise<ChatConfig> {
  return chatConfigView(deps.config.chat, await deps.modelDirectory.current())
}

/** What the UI shows before the first message: the models, and whether chat can work at all. */
export function chatConfigView(chat: ChatSettings, setup: ModelSetup): ChatConfig {
  const first = setup.providers[0]
  return {
    providerConfigured: first !== undefined,
    provider: first?.kind ?? null,
    // With no provider, the configured models still show what chat would offer.
    models:
      first === undefined
        ? chat.models
        : setup.providers.flatMap((p) =>
            p.models.map((m) => ({ id: m.id, label: m.label ?? m.id })),
          ),
    defaultModel: setup.defaultModel,
    maxSteps: chat.maxSteps,
    toolBudget: chat.toolBudget,
    attachments: {
      maxImageBytes: chat.attachments.maxImageBytes,
      maxTextBytes: chat.attachments.maxTextBytes,
      maxPdfBytes: chat.attachments.maxPdfBytes,
    },
  }
}

/**
 * The model id to use: the one asked for if it is on offer (a provider's listed model, or one of
 * the catalogue of a provider that offers it), else the default. Throws `validation_failed`
 * (field `model`) for a model that is not on offer.
 */
export async function resolveModelId(
  deps: ModelOfferDeps,
  requested: string | null | undefined,
): Promise<string> {
  if (!requested) return (await deps.modelDirectory.current()).defaultModel
  if (await isModelOnOffer(deps, requested)) return requested
  throw new ValidationError(
    [{ field: 'model', message: 'not one of the models on offer (GET /api/chat/models)' }],
    `model "${requested}" is not offered here: pick one of the models on offer`,
  )
}

/** The language model for one answer, and who pays for it. */
export interface ChatModelChoice {
  model: LanguageModel
  provider: ActiveProvider
  /** The user's own OpenRouter key is used. */
  userKey: boolean
}

export interface ChatModelDeps extends ModelOfferDeps {
  db: Db
  box: SecretBox
  log: Logger
}

/**
 * The language model for `modelId` as `userId` uses it: through the provider that offers it,
 * with the user's own OpenRouter key when the admin allows that, they set one and the provider
 * is OpenRouter. Throws `unavailable` when no provider is configured at all.
 */
export async function chooseChatModel(
  deps: ChatModelDeps,
  input: { modelId: string; userId: string },
): Promise<ChatModelChoice> {
  const setup = await deps.modelDirectory.current()
  const provider = (await findProviderFor(deps, input.modelId)) ?? setup.providers[0]
  if (!provider) throw new AppError('unavailable', NO_PROVIDER_MESSAGE)
  let apiKey = provider.apiKey
  let userKey = false
  if (provider.kind === 'openrouter' && setup.userKeysAllowed) {
    const own = await userOpenRouterKey(deps, input.userId)
    if (own) {
      apiKey = own
      userKey = true
    }
  }
  return { model: createChatModel(provider, input.modelId, apiKey), provider, userKey }
}

async function userOpenRouterKey(deps: ChatModelDeps, userId: string): Promise<string | null> {
  const { openrouterKey } = await readUserModelSettings(deps.db, userId)
  if (!openrouterKey) return null
  try {
    return deps.box.open(userId, openrouterKey)
  } catch (err) {
    deps.log.error({ err, userId }, "the user's OpenRouter key cannot be opened")
    return null
  }
}

/**
 * The language model for `modelId` at `provider`: OpenRouter, or any OpenAI-compatible endpoint
 * (Ollama, vLLM, LM Studio, OpenAI), reached through the provider's fetch (the SSRF guard for
 * the admin's providers).
 */
export function createChatModel(
  provider: Pick<ActiveProvider, 'kind' | 'baseUrl' | 'fetch'>,
  modelId: string,
  apiKey: string | null,
): LanguageModel {
  const fetch = provider.fetch ? { fetch: provider.fetch } : {}
  if (provider.kind === 'openrouter') {
    return createOpenRouter({
      apiKey: apiKey ?? '',
      ...(provider.baseUrl ? { baseURL: provider.baseUrl } : {}),
      // `strict` is for OpenRouter itself: it asks for usage in the stream (stream_options).
      compatibility: 'strict',
      ...fetch,
    }).chat(modelId)
  }
  return createOpenAICompatible({
    name: 'openai-compatible',
    baseURL: provider.baseUrl ?? '',
    ...(apiKey ? { apiKey } : {}),
    includeUsage: true,
    ...fetch,
  }).chatModel(modelId)
}
