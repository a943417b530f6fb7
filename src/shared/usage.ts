import { z } from 'zod'

// Usage for admins (issue 16, item 5): tokens, OpenRouter's cost, tool calls and errors per
// user, per model and per day over a period; and per-user daily message limits.

/** The longest period the usage view covers. */
export const USAGE_MAX_DAYS = 366

/** `from`/`to` as ISO datetimes; default: the last 7 days. */
export const UsageQuerySchema = z
  .object({ from: z.iso.datetime().optional(), to: z.iso.datetime().optional() })
  .meta({ id: 'UsageQuery' })
export type UsageQuery = z.infer<typeof UsageQuerySchema>

export const UsageTotalsSchema = z.object({
  /** Answers the model gave (or failed to give). */
  answers: z.number().int(),
  inputTokens: z.number().int(),
  outputTokens: z.number().int(),
  /** US dollars, as OpenRouter reports them; null: no answer in the group reported a cost. */
  cost: z.number().nullable(),
  toolCalls: z.number().int(),
  /** Tool calls that failed. */
  toolErrors: z.number().int(),
  /** Answers that ended in an error. */
  errors: z.number().int(),
})
export type UsageTotals = z.infer<typeof UsageTotalsSchema>

export const UsageReportSchema = z
  .object({
    window: z.object({ from: z.iso.datetime(), to: z.iso.datetime() }),
    totals: UsageTotalsSchema,
    perUser: z.array(
      UsageTotalsSchema.extend({ userId: z.string(), email: z.string(), name: z.string() }),
    ),
    perModel: z.array(UsageTotalsSchema.extend({ model: z.string() })),
    /** UTC days with usage, oldest first (`YYYY-MM-DD`). */
    perDay: z.array(UsageTotalsSchema.extend({ day: z.string() })),
  })
  .meta({ id: 'UsageReport' })
export type UsageReport = z.infer<typeof UsageReportSchema>

export const MESSAGE_LIMIT_MAX = 100_000

export const MessageLimitSchema = z
  .object({
    userId: z.string(),
    email: z.string(),
    name: z.string(),
    /** Null: no limit. */
    dailyMessages: z.number().int().nullable(),
    /** Messages sent today (UTC). */
    usedToday: z.number().int(),
  })
  .meta({ id: 'MessageLimit' })
export type MessageLimit = z.infer<typeof MessageLimitSchema>

export const MessageLimitListSchema = z
  .object({ users: z.array(MessageLimitSchema) })
  .meta({ id: 'MessageLimitList' })
export type MessageLimitList = z.infer<typeof MessageLimitListSchema>

export const MessageLimitUpdateSchema = z
  .object({ dailyMessages: z.number().int().min(1).max(MESSAGE_LIMIT_MAX).nullable() })
  .strict()
  .meta({ id: 'MessageLimitUpdate' })
export type MessageLimitUpdate = z.infer<typeof MessageLimitUpdateSchema>
