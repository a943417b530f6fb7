import { APICallError, InvalidToolInputError, NoSuchToolError, RetryError } from 'ai'
import { SEARCH_TOOLS_NAME } from '../../shared/chat.ts'
import type { Config } from '../config/config.ts'
import { AppError } from '../errors.ts'
import { sanitizeText } from '../untrusted-text.ts'
import { ToolCallFailure } from './tool-results.ts'

type ProviderKind = NonNullable<Config['chat']['provider']>['kind']

/**
 * The text the user sees for an error in the chat stream (an `error` chunk, or a tool part's
 * `errorText`). Tool failures keep their message, which the model also reads; model provider
 * failures say what happened and what to do; anything else stays generic (and is logged).
 */
export function describeChatError(
  error: unknown,
  input: { provider: ProviderKind; log: (error: unknown) => void },
): string {
  if (error instanceof ToolCallFailure || error instanceof AppError) return error.message
  if (NoSuchToolError.isInstance(error)) {
    return `There is no tool named "${sanitizeText(error.toolName, { maxChars: 100 })}": use one of the tools offered (or ${SEARCH_TOOLS_NAME} when it is offered).`
  }
  if (InvalidToolInputError.isInstance(error)) {
    return `The arguments for "${sanitizeText(error.toolName, { maxChars: 100 })}" are not valid JSON: ${sanitizeText(error.message, { maxChars: 300 })}`
  }
  const provider = describeProviderError(error, input.provider)
  if (provider) return provider
  input.log(error)
  return 'Something went wrong on the server while answering: try again.'
}

/** A model provider failure in words, or null when `error` is not one. */
export function describeProviderError(error: unknown, provider: ProviderKind): string | null {
  if (RetryError.isInstance(error)) {
    const last = describeProviderError(error.lastError, provider)
    return last ? `${last} (gave up after ${error.errors.length} attempts)` : null
  }
  const keyName = provider === 'openrouter' ? 'OPENROUTER_API_KEY' : 'LLM_API_KEY'
  if (APICallError.isInstance(error)) {
    const status = error.statusCode
    const detail = sanitizeText(error.message, { maxChars: 300 })
    if (status === 401 || status === 403) {
      return `The model provider refused the credentials (HTTP ${status}): check ${keyName}. ${detail}`
    }
    if (status === 402) return `The model provider account is out of credits (HTTP 402). ${detail}`
    if (status === 429) {
      return `The model provider is rate limiting requests (HTTP 429): wait a moment and try again. ${detail}`
    }
    if (status !== undefined && status >= 500) {
      return `The model provider failed (HTTP ${status}): try again later. ${detail}`
    }
    if (status !== undefined)
      return `The model provider refused the request (HTTP ${status}): ${detail}`
    return `The model provider could not be reached: ${detail}`
  }
  if (isErrorPayload(error)) {
    // OpenRouter's mid-stream `{ error: { code, message } }` event, as the provider hands it on.
    const code = error.code === undefined || error.code === null ? '' : ` (${String(error.code)})`
    return `The model provider stopped with an error${code}: ${sanitizeText(error.message, { maxChars: 300 })}`
  }
  if (error instanceof Error && isConnectionError(error)) {
    return `The connection to the model provider broke off: ${sanitizeText(error.message, { maxChars: 200 })}. Try again.`
  }
  return null
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
