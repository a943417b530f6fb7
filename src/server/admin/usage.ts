import { sql } from 'kysely'
import { reasonOf } from '../../shared/error-reasons.ts'
import {
  type MessageLimitList,
  USAGE_MAX_DAYS,
  type UsageQuery,
  type UsageReport,
  type UsageTotals,
} from '../../shared/usage.ts'
import { type AuditDeps, recordAudit } from '../audit/audit-log.ts'
import { startOfUtcDay } from '../chat/usage.ts'
import { sumUsage, type UsageTotalsRow } from '../db/chat-usage.ts'
import type { Db } from '../db/database.ts'
import { listMessageLimits, writeUserModelSettings } from '../db/model-providers.ts'
import { NotFoundError, ValidationError } from '../errors.ts'
import type { AdminActor } from './invitations.ts'

// Usage for admins: what every user's answers used over a period, and the daily message limits.

type UsageAdminDeps = { db: Db; now: () => Date }

const DAY_MS = 86_400_000
const DEFAULT_DAYS = 7

/** Tokens, cost, tool calls and errors per user, per model and per UTC day in the period. */
export async function usageReport(deps: UsageAdminDeps, query: UsageQuery): Promise<UsageReport> {
  const to = query.to ? new Date(query.to) : deps.now()
  const from = query.from ? new Date(query.from) : new Date(to.getTime() - DEFAULT_DAYS * DAY_MS)
  if (from.getTime() >= to.getTime()) {
    throw new ValidationError([
      { field: 'from', message: 'must be before `to`', reason: reasonOf('validation.invalid', {}) },
    ])
  }
  if (to.getTime() - from.getTime() > USAGE_MAX_DAYS * DAY_MS) {
    throw new ValidationError([
      {
        field: 'from',
        message: `the period may be at most ${USAGE_MAX_DAYS} days`,
        reason: reasonOf('validation.maximum', { limit: USAGE_MAX_DAYS }),
      },
    ])
  }
  const sums = await sumUsage(deps.db, { from, to })
  return {
    window: { from: from.toISOString(), to: to.toISOString() },
    totals: totalsOf(sums.all),
    perUser: sums.perUser.map((row) => ({
      userId: row.user_id,
      email: row.email,
      name: row.name,
      ...totalsOf(row),
    })),
    perModel: sums.perModel.map((row) => ({ model: row.model, ...totalsOf(row) })),
    perDay: sums.perDay.map((row) => ({ day: row.day, ...totalsOf(row) })),
  }
}

/** Every user with their daily limit (null: none) and what they sent today (UTC). */
export async function listMessageLimitsForAdmin(deps: UsageAdminDeps): Promise<MessageLimitList> {
  const since = startOfUtcDay(deps.now())
  const [users, limits] = await Promise.all([
    deps.db
      .selectFrom('users as u')
      .select([
        'u.id',
        'u.email',
        'u.name',
        sql<number>`(select count(distinct c.message_id)::int from chat_usage c
          where c.user_id = u.id and c.created_at >= ${since})`.as('used_today'),
      ])
      .orderBy('u.email')
      .execute(),
    listMessageLimits(deps.db),
  ])
  const byUser = new Map(limits.map((row) => [row.user_id, row.daily_message_limit]))
  return {
    users: users.map((user) => ({
      userId: user.id,
      email: user.email,
      name: user.name,
      dailyMessages: byUser.get(user.id) ?? null,
      usedToday: user.used_today,
    })),
  }
}

/** Sets (or, with null, lifts) a user's daily message limit. Unknown user: 404. */
export async function setMessageLimit(
  deps: AuditDeps,
  input: { userId: string; dailyMessages: number | null; admin: AdminActor },
): Promise<void> {
  const user = await deps.db
    .selectFrom('users')
    .select('id')
    .where('id', '=', input.userId)
    .executeTakeFirst()
  if (!user) throw new NotFoundError('user')
  await writeUserModelSettings(deps.db, {
    userId: input.userId,
    dailyMessageLimit: input.dailyMessages,
    at: deps.now(),
  })
  await recordAudit(deps, {
    userId: input.admin.id,
    actor: input.admin.email,
    action: 'admin.message_limit_changed',
    target: { type: 'user', id: input.userId },
    ip: input.admin.ip,
    details: { dailyMessages: input.dailyMessages },
  })
}

function totalsOf(row: UsageTotalsRow): UsageTotals {
  return {
    answers: row.answers,
    inputTokens: row.input_tokens,
    outputTokens: row.output_tokens,
    cost: row.cost,
    toolCalls: row.tool_calls,
    toolErrors: row.tool_errors,
    errors: row.errors,
  }
}
