import { reasonOf } from '../../shared/error-reasons.ts'
import { countAnswersSince, insertUsage } from '../db/chat-usage.ts'
import type { Db } from '../db/database.ts'
import { readUserModelSettings } from '../db/model-providers.ts'
import { RateLimitedError } from '../errors.ts'
import type { Logger } from '../log.ts'
import type { ChatUIMessage } from './ui-messages.ts'

// What each answer used (tokens, OpenRouter's cost, tool calls), and the daily message limit
// the admin may set per user, counted from the same rows.

export interface UsageDeps {
  db: Db
  log: Logger
  now: () => Date
}

/** UTC midnight of `at`: the limit counts messages of the UTC day. */
export function startOfUtcDay(at: Date): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()))
}

/**
 * Refuses a message past the user's daily limit with 429 `message_limit_reached` and a
 * Retry-After of the time left until the next UTC day. No limit set: nothing to check.
 */
export async function checkMessageLimit(deps: UsageDeps, input: { userId: string }): Promise<void> {
  const { dailyMessageLimit: limit } = await readUserModelSettings(deps.db, input.userId)
  if (limit === null) return
  const now = deps.now()
  const since = startOfUtcDay(now)
  const used = await countAnswersSince(deps.db, { userId: input.userId, since })
  if (used < limit) return
  const nextDay = since.getTime() + 86_400_000
  throw new RateLimitedError(
    `You have sent your ${limit} messages for today: the limit your administrator set. It resets at midnight UTC.`,
    (nextDay - now.getTime()) / 1000,
    reasonOf('messageLimit.reached', { limit }),
    'message_limit_reached',
  )
}

/**
 * Tokens and cost of one answer as it streams: each step's usage, and OpenRouter's cost from
 * the provider metadata (`providerMetadata.openrouter.usage.cost`, in US dollars).
 */
export function createUsageMeter() {
  let cost: number | null = null
  return {
    /** A `finish-step` part's provider metadata. */
    step(providerMetadata: unknown) {
      const value = (
        providerMetadata as { openrouter?: { usage?: { cost?: unknown } } } | undefined
      )?.openrouter?.usage?.cost
      if (typeof value === 'number' && Number.isFinite(value)) cost = (cost ?? 0) + value
    },
    cost: () => cost,
  }
}

/** Stores one answer's usage; never throws (the answer is already over). */
export async function recordUsage(
  deps: UsageDeps,
  input: {
    userId: string
    conversationId: string
    message: ChatUIMessage
    model: string
    providerId: string | null
    userKey: boolean
    status: string
    cost: number | null
  },
): Promise<void> {
  const usage = input.message.metadata?.usage
  const tools = input.message.parts.filter((part) => part.type === 'dynamic-tool')
  try {
    await insertUsage(deps.db, {
      userId: input.userId,
      conversationId: input.conversationId,
      messageId: input.message.id,
      model: input.model,
      providerId: input.providerId,
      userKey: input.userKey,
      status: input.status,
      inputTokens: usage?.inputTokens ?? 0,
      outputTokens: usage?.outputTokens ?? 0,
      cost: input.cost,
      toolCalls: tools.length,
      toolErrors: tools.filter((part) => part.state === 'output-error').length,
      at: deps.now(),
    })
  } catch (err) {
    deps.log.error({ err, conversationId: input.conversationId }, 'recording usage failed')
  }
}
