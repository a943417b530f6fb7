import { APICallError, InvalidToolInputError, NoSuchToolError, RetryError } from 'ai'
import { SEARCH_TOOLS_NAME } from '../../shared/chat.ts'
import { type ErrorReason, reasonOf } from '../../shared/error-reasons.ts'
import type { Config } from '../config/config.ts'
import { AppError } from '../errors.ts'
import { sanitizeText } from '../untrusted-text.ts'
import { ToolCallFailure } from './tool-results.ts'

type ProviderKind = NonNullable<Config['chat']['provider']>['kind']

/** An error in the chat stream: English text (the model and logs read it) and its reason. */
export interface ChatErrorText {
  text: string
  /** The same for the UI to say in the reader's language; absent for a tool's own failure. */
  reason?: ErrorReason
}

/**
 * The text the user sees for an error in the chat stream (an `error` chunk, or a tool part's
 * `errorText`). Tool failures keep their message, which the model also reads; model provider
 * failures say what happened and what to do; anything else stays generic (and is logged).
 */
export function describeChatError(
  error: unknown,
  input: { provider: ProviderKind; keyName?: string; log: (error: unknown) => void },
): ChatErrorText {
  if (error instanceof ToolCallFailure) return { text: error.message }
  if (error instanceof AppError) return withReason(error.message, error.reason)
  if (NoSuchToolError.isInstance(error)) {
    const tool = sanitizeText(error.toolName, { maxChars: 100 })
    return {
      text: `There is no tool named "${tool}": use one of the tools offered (or ${SEARCH_TOOLS_NAME} when it is offered).`,
      reason: reasonOf('answer.noSuchTool', { tool }),
    }
  }
  if (InvalidToolInputError.isInstance(error)) {
    const tool = sanitizeText(error.toolName, { maxChars: 100 })
    return {
      text: `The arguments for "${tool}" are not valid JSON: ${sanitizeText(error.message, { maxChars: 300 })}`,
      reason: reasonOf('answer.invalidToolInput', { tool }),
    }
  }
  const provider = describeProviderError(error, input.provider, input.keyName)
  if (provider) return provider
  input.log(error)
  return {
    text: 'Something went wrong on the server while answering: try again.',
    reason: reasonOf('answer.internal', {}),
  }
}

/** A model provider failure in words, or null when `error` is not one. */
export function describeProviderError(
  error: unknown,
  provider: ProviderKind,
  /** Where the key is set (default: the environment variable of `provider`). */
  keyName?: string,
): ChatErrorText | null {
  if (RetryError.isInstance(error)) {
    const last = describeProviderError(error.lastError, provider, keyName)
    if (!last) return null
    const attempts = error.errors.length
    return {
      text: `${last.text} (gave up after ${attempts} attempts)`,
      ...(last.reason ? { reason: last.reason } : {}),
    }
  }
  keyName ??= provider === 'openrouter' ? 'OPENROUTER_API_KEY' : 'LLM_API_KEY'
  if (APICallError.isInstance(error)) {
    const status = error.statusCode
    const detail = sanitizeText(error.message, { maxChars: 300 })
    if (status === 401 || status === 403) {
      return {
        text: `The model provider refused the credentials (HTTP ${status}): check ${keyName}. ${detail}`,
        reason: reasonOf('answer.provider.credentials', { status, key: keyName }),
      }
    }
    if (status === 402) {
      return {
        text: `The model provider account is out of credits (HTTP 402). ${detail}`,
        reason: reasonOf('answer.provider.noCredits', {}),
      }
    }
    if (status === 429) {
      return {
        text: `The model provider is rate limiting requests (HTTP 429): wait a moment and try again. ${detail}`,
        reason: reasonOf('answer.provider.rateLimited', {}),
      }
    }
    if (status !== undefined && status >= 500) {
      return {
        text: `The model provider failed (HTTP ${status}): try again later. ${detail}`,
        reason: reasonOf('answer.provider.failed', { status }),
      }
    }
    if (status !== undefined) {
      return {
        text: `The model provider refused the request (HTTP ${status}): ${detail}`,
        reason: reasonOf('answer.provider.refused', { status, said: detail }),
      }
    }
    return {
      text: `The model provider could not be reached: ${detail}`,
      reason: reasonOf('answer.provider.unreachable', {}),
    }
  }
  if (isErrorPayload(error)) {
    // OpenRouter's mid-stream `{ error: { code, message } }` event, as the provider hands it on.
    const code = error.code === undefined || error.code === null ? '' : ` (${String(error.code)})`
    const said = sanitizeText(error.message, { maxChars: 300 })
    return {
      text: `The model provider stopped with an error${code}: ${said}`,
      reason: reasonOf('answer.provider.stopped', { said }),
    }
  }
  if (error instanceof Error && isConnectionError(error)) {
    return {
      text: `The connection to the model provider broke off: ${sanitizeText(error.message, { maxChars: 200 })}. Try again.`,
      reason: reasonOf('answer.provider.brokeOff', {}),
    }
  }
  return null
}

function withReason(text: string, reason: ErrorReason | undefined): ChatErrorText {
  return reason ? { text, reason } : { text }
}

function isErrorPayload(error: unknown): error is { message: string; code?: unknown } {
  return (
    typeof error === 'object' &&
    error !== null &&
    !(error instanceof Error) &&
    typeof (error as { message?: unknown }).message === 'string'
  )
}

function isConnectionError(error: Error): boolean {
  const text = `${error.name} ${error.message} ${String((error.cause as Error)?.message ?? '')}`
  return /terminated|socket|ECONNRESET|ECONNREFUSED|other side closed|fetch failed|premature/i.test(
    text,
  )
}
