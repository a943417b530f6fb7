/**
 * A server's questions to the user in the middle of a call (MCP `elicitation/create`): a form to
 * fill in, or a link to open (URL mode, e.g. to connect an account). The question goes to the
 * user's open pages as a live event; the answer comes back through
 * `POST /api/user/elicitations/:id` and is handed to the server, which has been waiting.
 * Meanwhile the no-progress timers of the user's calls on that server are held: a person is
 * typing. Unanswered questions are cancelled after `toolCalls.elicitationTimeoutMs`.
 *
 * Questions live in the instance that holds the upstream session. With Redis, each is also
 * registered there (owner and view, expiring with it), so any instance can list a user's
 * questions, tell a foreign id (404) from one held elsewhere, and forward the answer through
 * the event bus.
 *
 * @module
 */
import { createHash, randomUUID } from 'node:crypto'
import type { ElicitRequest, ElicitResult } from '@modelcontextprotocol/client'
import type { Redis } from 'ioredis'
import type {
  ElicitationAnswer,
  ElicitationOutcome,
  ElicitationView,
  FormElicitationView,
  UrlElicitationView,
} from '../../shared/elicitations.ts'
import type { Config } from '../config/config.ts'
import type { Db } from '../db/database.ts'
import { findServerForUser, type McpServerRow } from '../db/mcp-servers.ts'
import { NotFoundError, ValidationError } from '../errors.ts'
import type { EventBus } from '../events/event-bus.ts'
import type { Logger } from '../log.ts'
import type { SessionKey } from '../mcp/client/connection-pool.ts'
import { OPERATOR_SESSION } from '../mcp/servers/sessions.ts'
import { sanitizeText } from '../untrusted-text.ts'
import type { ToolCallRuntime } from './runtime.ts'

/** A form schema larger than this is refused (declined) rather than shown. */
const MAX_SCHEMA_BYTES = 32_768
const MAX_MESSAGE_CHARS = 2_000
/** A URL-mode link longer than this is refused (declined) rather than shown. */
const MAX_URL_CHARS = 2_000

/** A question waiting for its answer. */
export interface PendingElicitation {
  userId: string
  view: ElicitationView
  finish(result: ElicitResult, outcome: ElicitationOutcome): void
}

/** Questions wait in this instance's runtime; with Redis they are registered for every instance. */
export interface ElicitationDeps {
  db: Db
  config: Pick<Config, 'toolCalls'>
  events: EventBus
  toolCalls: ToolCallRuntime
  now: () => Date
  log: Logger
  redis: Redis | null
}

interface Registered {
  userId: string
  view: ElicitationView
}

const questionKey = (id: string) => `sb:elicitation:${id}`
const userKey = (userId: string) => `sb:elicitations:${userId}`

/**
 * Asks the user on behalf of the server of `key` and resolves with their answer. Declines at
 * once what no user can or should answer: a health-check session, an oversized schema, a link
 * that is not one to show (see `linkOf`). Resolves `cancel` when the server withdraws the
 * request or nobody answers in time. In URL mode the result is only the action, no content.
 */
export async function askUser(
  deps: ElicitationDeps,
  key: SessionKey,
  params: ElicitRequest['params'],
  signal: AbortSignal,
): Promise<ElicitResult> {
  if (key.userId === OPERATOR_SESSION) return { action: 'decline' }
  if (params.mode !== 'url' && !schemaFits(params.requestedSchema)) return { action: 'decline' }
  const server = await findServerForUser(deps.db, { userId: key.userId, id: key.serverId })
  if (!server || signal.aborted) return { action: 'cancel' }
  const question = questionOf(params, server)
  if (!question) {
    deps.log.info({ serverId: server.id }, 'a server asked the user to open a refused link')
    return { action: 'decline' }
  }

  const pending = deps.toolCalls.elicitations
  const calls = [...deps.toolCalls.running.values()].filter(
    (call) => call.state.userId === key.userId && call.state.serverId === key.serverId,
  )
  const now = deps.now()
  const timeoutMs = deps.config.toolCalls.elicitationTimeoutMs
  const view: ElicitationView = {
    ...question,
    id: randomUUID(),
    serverId: server.id,
    serverName: server.name,
    message: sanitizeText(params.message, { maxChars: MAX_MESSAGE_CHARS, multiline: true }),
    calls: calls.map(({ state }) => ({ id: state.id, toolName: state.toolName })),
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + timeoutMs).toISOString(),
  }
  const releases = calls.map((call) => call.idle.hold())
  await register(deps, { userId: key.userId, view }, timeoutMs)
  return new Promise<ElicitResult>((resolve) => {
    const finish = (result: ElicitResult, outcome: ElicitationOutcome) => {
      if (pending.get(view.id) !== entry) return
      pending.delete(view.id)
      clearTimeout(timer)
      signal.removeEventListener('abort', withdrawn)
      for (const release of releases) release()
      unregister(deps, { userId: key.userId, view })
      deps.events.publish(key.userId, { type: 'elicitation.ended', id: view.id, outcome })
      resolve(result)
    }
    const entry: PendingElicitation = { userId: key.userId, view, finish }
    const timer = setTimeout(() => finish({ action: 'cancel' }, 'expired'), timeoutMs)
    timer.unref()
    const withdrawn = () => finish({ action: 'cancel' }, 'cancel')
    signal.addEventListener('abort', withdrawn, { once: true })
    pending.set(view.id, entry)
    deps.events.publish(key.userId, { type: 'elicitation.requested', elicitation: view })
  })
}

function schemaFits(schema: unknown): boolean {
  return Buffer.byteLength(JSON.stringify(schema)) <= MAX_SCHEMA_BYTES
}

type Question =
  | Pick<FormElicitationView, 'mode' | 'requestedSchema'>
  | Pick<UrlElicitationView, 'mode' | 'url' | 'host'>

/** What is particular to the question's mode; null for a link not to show. */
function questionOf(
  params: ElicitRequest['params'],
  server: Pick<McpServerRow, 'user_id'>,
): Question | null {
  if (params.mode !== 'url') {
    return { mode: 'form', requestedSchema: params.requestedSchema as Record<string, unknown> }
  }
  // The operator's own servers (switchboard.yaml) may link to plain http, an intranet page say.
  const link = linkOf(params.url, { allowHttp: server.user_id === null })
  return link && { mode: 'url', ...link }
}

/**
 * A link fit to show a person, or null: https (http only when allowed), no more than
 * `MAX_URL_CHARS`, no user info (`https://bank.example@evil.example` reads as the bank and goes
 * elsewhere). Every other scheme is refused: `javascript:` and `data:` run or render what the
 * server chose, `file:` reads the user's disk. The host is taken as WHATWG parses it, so an
 * internationalized name is shown in punycode and cannot pass for a look-alike.
 */
function linkOf(
  raw: string,
  options: { allowHttp: boolean },
): { url: string; host: string } | null {
  if (raw.length > MAX_URL_CHARS || !URL.canParse(raw)) return null
  const url = new URL(raw)
  const allowedScheme = url.protocol === 'https:' || (options.allowHttp && url.protocol === 'http:')
  if (!allowedScheme || url.username || url.password || !url.host) return null
  if (url.href.length > MAX_URL_CHARS) return null
  return { url: url.href, host: url.host }
}

/** The questions waiting for this user's answer (on every instance, with Redis), oldest first. */
export async function listElicitations(
  deps: Pick<ElicitationDeps, 'toolCalls' | 'redis'>,
  userId: string,
): Promise<ElicitationView[]> {
  if (!deps.redis) {
    return [...deps.toolCalls.elicitations.values()]
      .filter((entry) => entry.userId === userId)
      .map((entry) => entry.view)
  }
  const ids = await deps.redis.smembers(userKey(userId))
  if (ids.length === 0) return []
  const found = await deps.redis.mget(ids.map(questionKey))
  return found
    .flatMap((raw) => (raw ? [JSON.parse(raw) as Registered] : []))
    .filter((entry) => entry.userId === userId)
    .map((entry) => entry.view)
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
}

/**
 * Hands the user's answer to the waiting server. An accepted form is checked against the
 * server's schema first (400 naming the fields); a URL-mode answer carries no content (400
 * naming `content`). A question another instance holds gets the answer forwarded; an unknown,
 * foreign, answered or expired one is not found.
 */
export async function answerElicitation(
  deps: Pick<ElicitationDeps, 'toolCalls' | 'events' | 'redis'>,
  input: { userId: string; id: string; answer: ElicitationAnswer },
): Promise<'delivered' | 'forwarded'> {
  const entry = deps.toolCalls.elicitations.get(input.id)
  if (entry && entry.userId === input.userId) {
    deliver(deps, entry, input.answer)
    return 'delivered'
  }
  const raw = entry ? null : await deps.redis?.get(questionKey(input.id))
  const registered = raw ? (JSON.parse(raw) as Registered) : null
  if (registered?.userId !== input.userId) throw new NotFoundError('question')
  refuseContentForLink(registered.view, input.answer)
  deps.events.signalInstances({ type: 'elicitation.answer', ...input })
  return 'forwarded'
}

async function register(
  deps: Pick<ElicitationDeps, 'redis' | 'log'>,
  entry: Registered,
  ttlMs: number,
): Promise<void> {
  if (!deps.redis) return
  await deps.redis
    .multi()
    .set(questionKey(entry.view.id), JSON.stringify(entry), 'PX', ttlMs)
    .sadd(userKey(entry.userId), entry.view.id)
    .pexpire(userKey(entry.userId), ttlMs)
    .exec()
    .catch((err: unknown) => deps.log.warn({ err }, 'registering a question in Redis failed'))
}

function unregister(deps: Pick<ElicitationDeps, 'redis' | 'log'>, entry: Registered): void {
  if (!deps.redis) return
  deps.redis
    .multi()
    .del(questionKey(entry.view.id))
    .srem(userKey(entry.userId), entry.view.id)
    .exec()
    .catch((err: unknown) => deps.log.warn({ err }, 'removing a question from Redis failed'))
}

/** Answers received by another instance, for questions held here. Returns the unsubscribe. */
export function watchElicitationAnswers(
  deps: Pick<ElicitationDeps, 'events' | 'toolCalls' | 'log'>,
): () => void {
  return deps.events.onInstanceSignal('elicitation.answer', (signal) => {
    const entry = deps.toolCalls.elicitations.get(signal.id)
    if (!entry || entry.userId !== signal.userId) return
    try {
      deliver(deps, entry, signal.answer)
    } catch (err) {
      deps.log.info({ err, elicitationId: signal.id }, 'forwarded answer refused')
    }
  })
}

function deliver(
  deps: Pick<ElicitationDeps, 'toolCalls'>,
  entry: PendingElicitation,
  answer: ElicitationAnswer,
): void {
  const { view } = entry
  refuseContentForLink(view, answer)
  if (answer.action !== 'accept' || view.mode === 'url') {
    entry.finish({ action: answer.action }, answer.action)
    return
  }
  const content = answer.content ?? {}
  const schema = view.requestedSchema
  const hash = createHash('sha256').update(JSON.stringify(schema)).digest('hex')
  const problems = deps.toolCalls.validator.check(
    { schema_hash: `elicitation:${hash}`, input_schema: schema },
    content,
  )
  if (problems.length > 0) {
    throw new ValidationError(
      problems.map((p) => ({ ...p, field: `content${p.field ? `.${p.field}` : ''}` })),
    )
  }
  entry.finish({ action: 'accept', content }, 'accept')
}

/** A link is opened or not: there is nothing to fill in, so content is a mistake to report. */
function refuseContentForLink(view: ElicitationView, answer: ElicitationAnswer): void {
  if (view.mode !== 'url' || answer.content === undefined) return
  throw new ValidationError([{ field: 'content', message: 'a link question takes no content' }])
}
