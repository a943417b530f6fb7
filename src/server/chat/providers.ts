import { createOpenAICompatible } from '@ai-sdk/openai-compatible'
import { createOpenRouter } from '@openrouter/ai-sdk-provider'
import type { LanguageModel } from 'ai'
import type { ChatConfig } from '../../shared/chat.ts'
import type { Config } from '../config/config.ts'
import { AppError, ValidationError } from '../errors.ts'
import { isModelOnOffer, type ModelOfferDeps } from './model-offer.ts'

type ChatSettings = Config['chat']

export const NO_PROVIDER_MESSAGE =
  'No model provider is configured: set OPENROUTER_API_KEY (OpenRouter), or LLM_BASE_URL ' +
  '(and LLM_API_KEY if it needs one) for an OpenAI-compatible endpoint such as Ollama or vLLM, ' +
  'then restart Switchboard.'

/** What the UI shows before the first message: the models, and whether chat can work at all. */
export function chatConfigView(chat: ChatSettings): ChatConfig {
  return {
    providerConfigured: chat.provider !== null,
    provider: chat.provider?.kind ?? null,
    models: chat.models,
    defaultModel: chat.defaultModel,
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
 * The model id to use: the one asked for if it is on offer (a configured model, or one of the
 * provider's catalogue when the operator set no allowlist), else the default. Throws
 * `validation_failed` (field `model`) for a model that is not on offer.
 */
export async function resolveModelId(
  deps: ModelOfferDeps,
  requested: string | null | undefined,
): Promise<string> {
  const { chat } = deps.config
  if (!requested) return chat.defaultModel
  if (await isModelOnOffer(deps, requested)) return requested
  throw new ValidationError(
    [{ field: 'model', message: 'not one of the models on offer (GET /api/chat/models)' }],
    `model "${requested}" is not offered here: pick one of the models on offer`,
  )
}

/**
 * The language model for `modelId`: OpenRouter, or any OpenAI-compatible endpoint (Ollama,
 * vLLM, LM Studio, OpenAI). Throws `unavailable` when neither is configured.
 */
export function createChatModel(chat: ChatSettings, modelId: string): LanguageModel {
  const provider = chat.provider
  if (!provider) throw new AppError('unavailable', NO_PROVIDER_MESSAGE)
  if (provider.kind === 'openrouter') {
    return createOpenRouter({
      apiKey: provider.apiKey,
      ...(provider.baseUrl ? { baseURL: provider.baseUrl } : {}),
      // `strict` is for OpenRouter itself: it asks for usage in the stream (stream_options).
      compatibility: 'strict',
    }).chat(modelId)
  }
  return createOpenAICompatible({
    name: 'openai-compatible',
    baseURL: provider.baseUrl,
    ...(provider.apiKey ? { apiKey: provider.apiKey } : {}),
    includeUsage: true,
  }).chatModel(modelId)
}
