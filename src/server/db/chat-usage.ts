import { sql } from 'kysely'
import type { Db } from './database.ts'

// One row per answer (chat/usage.ts writes it when the answer ends), read back installation-wide
// by the admin's usage view and per user by the daily message limit.

export interface NewUsage {
  userId: string
  conversationId: string
  messageId: string
  model: string
  providerId: string | null
  userKey: boolean
  status: string
  inputTokens: number
  outputTokens: number
  cost: number | null
  toolCalls: number
  toolErrors: number
  at: Date
}

export async function insertUsage(db: Db, input: NewUsage): Promise<void> {
  await db
    .insertInto('chat_usage')
    .values({
      user_id: input.userId,
      conversation_id: input.conversationId,
      message_id: input.messageId,
      model: input.model,
      provider_id: input.providerId,
      user_key: input.userKey,
      status: input.status,
      input_tokens: input.inputTokens,
      output_tokens: input.outputTokens,
      cost: input.cost,
      tool_calls: input.toolCalls,
      tool_errors: input.toolErrors,
      created_at: input.at,
    })
    .execute()
}

/** Answers a user asked for since `since` (an answer continued after approvals counts once). */
export async function countAnswersSince(
  db: Db,
  input: { userId: string; since: Date },
): Promise<number> {
  const row = await db
    .selectFrom('chat_usage')
    .select(sql<number>`count(distinct message_id)::int`.as('count'))
    .where('user_id', '=', input.userId)
    .where('created_at', '>=', input.since)
    .executeTakeFirstOrThrow()
  return row.count
}

export interface UsageTotalsRow {
  answers: number
  input_tokens: number
  output_tokens: number
  /** Null when no answer in the group reported a cost. */
  cost: number | null
  tool_calls: number
  tool_errors: number
  errors: number
}

const totals = [
  sql<number>`count(*)::int`.as('answers'),
  sql<number>`coalesce(sum(input_tokens), 0)::bigint`.as('input_tokens'),
  sql<number>`coalesce(sum(output_tokens), 0)::bigint`.as('output_tokens'),
  sql<number | null>`sum(cost)`.as('cost'),
  sql<number>`coalesce(sum(tool_calls), 0)::int`.as('tool_calls'),
  sql<number>`coalesce(sum(tool_errors), 0)::int`.as('tool_errors'),
  sql<number>`(count(*) filter (where status = 'error'))::int`.as('errors'),
] as const

/** Sums over the window, grouped by user, by model, and by UTC day. */
export async function sumUsage(db: Db, window: { from: Date; to: Date }) {
  const base = db
    .selectFrom('chat_usage')
    .where('chat_usage.created_at', '>=', window.from)
    .where('chat_usage.created_at', '<', window.to)
  const [all, perUser, perModel, perDay] = await Promise.all([
    base.select(totals).executeTakeFirstOrThrow(),
    base
      .innerJoin('users', 'users.id', 'chat_usage.user_id')
      .select(['chat_usage.user_id', 'users.email', 'users.name', ...totals])
      .groupBy(['chat_usage.user_id', 'users.email', 'users.name'])
      .orderBy('answers', 'desc')
      .orderBy('users.email')
      .execute(),
    base
      .select(['model', ...totals])
      .groupBy('model')
      .orderBy('answers', 'desc')
      .orderBy('model')
      .execute(),
    base
      .select([
        sql<string>`to_char(chat_usage.created_at at time zone 'UTC', 'YYYY-MM-DD')`.as('day'),
        ...totals,
      ])
      .groupBy(sql`to_char(chat_usage.created_at at time zone 'UTC', 'YYYY-MM-DD')`)
      .orderBy('day')
      .execute(),
  ])
  return {
    all: numbers(all),
    perUser: perUser.map(numbers),
    perModel: perModel.map(numbers),
    perDay: perDay.map(numbers),
  }
}

/** pg hands bigint and double precision over as strings. */
function numbers<T extends UsageTotalsRow>(row: T): T {
  return {
    ...row,
    input_tokens: Number(row.input_tokens),
    output_tokens: Number(row.output_tokens),
    cost: row.cost === null ? null : Number(row.cost),
  }
}
