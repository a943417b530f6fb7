/**
 * The one way a tool is called, whether by the model in chat, by the user in the tester or by a
 * program through the API: authorize (the caller's tool, switched on), validate the arguments,
 * take from the rate limits, call upstream on the user's pooled session with progress and
 * cancellation, and record it all in the call log, the audit log and the live events.
 *
 * @module
 */
import {
  type CallToolResult,
  type InputRequiredResult,
  isInputRequiredResult,
  type Tool,
} from '@modelcontextprotocol/client'
import { type ErrorReason, reasonOf } from '../../shared/error-reasons.ts'
import type { ToolCallOutput, ToolCallProgress, ToolCallView } from '../../shared/tool-calls.ts'
import { FINAL_TOOL_CALL_STATUSES } from '../../shared/tool-calls.ts'
import { recordAudit } from '../audit/audit-log.ts'
import { maskSecrets } from '../audit/mask-secrets.ts'
import { findConversationForUser } from '../db/conversations.ts'
import { findServerForUser, type McpServerRow } from '../db/mcp-servers.ts'
import { findToolCallForUser } from '../db/mcp-tool-calls.ts'
import { findToolWithServerForUser, type McpToolWithServer } from '../db/mcp-tools.ts'
import { AppError, NotFoundError, RateLimitedError, ValidationError } from '../errors.ts'
import { findJsonProblem } from '../json-limits.ts'
import type { ToolAccess } from '../mcp/catalog/access-cache.ts'
import { missingCapabilitiesOf, relayedOf } from '../mcp/client/relay.ts'
import { endpointOfRow, type ServerConfig } from '../mcp/servers/endpoint-of-row.ts'
import { asMcpFailure } from '../mcp/servers/probe.ts'
import {
  onCallAnswered,
  onSessionLost,
  type SessionDeps,
  sessionKey,
  withSession,
} from '../mcp/servers/sessions.ts'
import type { ToolCallMetrics } from '../observability/metrics.ts'
import type { ToolCallTracing } from '../observability/tracing.ts'
import { checkAppCall } from './app-calls.ts'
import { callUpstream, createIdleTimer, type IdleTimer, TaskTimeoutError } from './call-upstream.ts'
import type { RunningCall, ToolCallRuntime } from './runtime.ts'
import { ShutdownError } from './runtime.ts'
import {
  type CallState,
  recordOf,
  viewOfRecord,
  viewOfRow,
  viewOfState,
} from './tool-call-views.ts'
import type { ToolCallInput, ToolCallOutcome, ToolTarget } from './types.ts'

/** The user pressed Cancel (or the API was asked to cancel), or Stop in the chat. */
export class CancelledError extends Error {
  override name = 'CancelledError'
  readonly reason: ErrorReason

  constructor(stopped = false) {
    super(stopped ? 'stopped by the user' : 'cancelled by the user')
    this.reason = reasonOf(stopped ? 'toolCall.stopped' : 'toolCall.cancelled', {})
  }
}

/** How long `cancel` waits for the upstream to confirm before answering with the call as is. */
const CANCEL_WAIT_MS = 5_000

/** A call runs on the user's session with the server, and is kept in the call log. */
export interface ToolCallDeps extends SessionDeps {
  toolCalls: ToolCallRuntime
  metrics: { toolCalls: ToolCallMetrics }
  tracing: { toolCalls: ToolCallTracing }
}

export async function startToolCall(
  deps: ToolCallDeps,
  input: ToolCallInput,
): Promise<ToolCallOutcome> {
  checkArgumentShape(input.arguments, deps.config.toolCalls.maxArgumentBytes)
  const { tool, server } = await authorize(deps, input)
  if (input.source === 'app') {
    const refusal = await checkAppCall(deps, input, { tool, server })
    if (refusal) {
      await refuse(deps, input, tool, refusal.code, { appToolId: input.app?.toolId ?? null })
      throw refusal
    }
  }
  if (input.conversationId) await assertOwnConversation(deps, input)
  const problems = deps.toolCalls.validator.check(tool, input.arguments)
  if (problems.length > 0) {
    await refuse(deps, input, tool, 'invalid_arguments', { fields: problems })
    throw new ValidationError(
      problems.map((p) => ({ ...p, field: `arguments${p.field ? `.${p.field}` : ''}` })),
      `the arguments do not match the input schema of "${tool.name}": ${problems
        .map((p) => `${p.field || '(root)'}: ${p.message}`)
        .join('; ')}`,
      reasonOf('toolCall.argumentsInvalid', { tool: tool.name }),
    )
  }
  const callId = crypto.randomUUID()
  let release: () => void
  try {
    release = await deps.toolCalls.limits.acquire({
      userId: input.user.id,
      serverId: server.id,
      callId,
    })
  } catch (error) {
    if (error instanceof RateLimitedError) {
      await recordAudit(deps, {
        ...auditActor(input),
        action: 'tool_call.rate_limited',
        target: { type: 'tool', id: tool.id },
        details: { server: server.name, tool: tool.name, message: error.message },
      })
    }
    throw error
  }
  let running: RunningCall
  try {
    running = await begin(deps, { input, tool, server, callId, release })
  } catch (error) {
    // The call never started: its in-flight slot goes back whatever went wrong.
    release()
    throw error
  }
  const { state } = running

  if (input.mode === 'async') return { kind: 'accepted', call: viewOfState(state) }
  const threshold = waitFor(deps, input.asyncAfterMs)
  if (threshold === null) {
    await running.done
    return toOutcome(running)
  }
  let timer: NodeJS.Timeout | undefined
  const slow = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), threshold)
  })
  const ended = await Promise.race([running.done, slow])
  clearTimeout(timer)
  if (ended) return toOutcome(running)
  // Still running: from here on it is an async call the client follows by id. Its row exists
  // already (written before the upstream call): should the log drop this update, the final
  // state still replaces the row.
  state.mode = 'async'
  await save(deps, state).catch(() => undefined)
  return { kind: 'accepted', call: viewOfState(state) }
}

/**
 * Records the call as running, committed before the upstream sees it (a crash from here on
 * leaves a row the sweep marks interrupted), then starts it. Throws if the row cannot be
 * written: then the call is not made.
 */
async function begin(
  deps: ToolCallDeps,
  run: {
    input: ToolCallInput
    tool: McpToolWithServer
    server: McpServerRow
    callId: string
    release: () => void
  },
): Promise<RunningCall> {
  const { input, tool, server } = run
  const now = deps.now()
  const state: CallState = {
    id: run.callId,
    userId: input.user.id,
    serverId: server.id,
    toolId: tool.id,
    serverName: server.name,
    toolName: tool.name,
    conversationId: input.conversationId ?? null,
    messageId: input.messageId ?? null,
    source: input.source,
    clientName: input.clientName ?? null,
    mode: input.mode,
    input: maskSecrets(input.arguments, deps.config.toolCalls.secretKeys),
    output: null,
    status: 'running',
    errorCode: null,
    error: null,
    errorReason: null,
    progress: null,
    createdAt: now,
    startedAt: now,
    finishedAt: null,
    durationMs: null,
    updatedAt: now,
  }
  try {
    await save(deps, state)
  } catch (error) {
    throw new AppError(
      'internal',
      `Switchboard could not record the call to "${tool.name}" in your call log, so it was not ` +
        'made: try again; if it keeps happening, tell your administrator',
      { cause: error, reason: reasonOf('toolCall.notRecorded', { tool: tool.name }) },
    )
  }
  const controller = new AbortController()
  const outer = input.signal
  const abortFromOuter = () => controller.abort(new CancelledError(true))
  if (outer?.aborted) abortFromOuter()
  else outer?.addEventListener('abort', abortFromOuter, { once: true })

  const idle = createIdleTimer(timeoutOf(deps, server))
  const running: RunningCall = { state, controller, idle, done: Promise.resolve(state) }
  deps.toolCalls.running.set(state.id, running)
  const span = { callId: state.id, tool: tool.name, serverId: server.id, source: input.source }
  running.done = deps.tracing.toolCalls
    .call(span, () =>
      execute(deps, { input, running, tool, server, signal: controller.signal, idle }),
    )
    .finally(() => {
      run.release()
      outer?.removeEventListener('abort', abortFromOuter)
      deps.toolCalls.running.delete(state.id)
    })
  return running
}

/** The finished call, as recorded; or the error saying it could not be. */
function toOutcome(running: RunningCall): ToolCallOutcome {
  if (running.lost) throw running.lost
  const { inputRequired, missingCapabilities } = running
  return {
    kind: 'finished',
    call: viewOfState(running.state),
    ...(inputRequired ? { inputRequired } : {}),
    ...(missingCapabilities ? { missingCapabilities } : {}),
  }
}

/** The call as it is now: from this instance if it runs here or is not written yet, else the log. */
export async function getToolCall(
  deps: Pick<ToolCallDeps, 'db' | 'toolCalls'>,
  input: { userId: string; id: string },
): Promise<ToolCallView> {
  const local = deps.toolCalls.running.get(input.id)
  if (local && local.state.userId === input.userId) {
    // An ending call is shown once its end is in the log, never before.
    if (!FINAL_TOOL_CALL_STATUSES.includes(local.state.status)) return viewOfState(local.state)
    await local.done
    return toOutcome(local).call
  }
  const queued = deps.toolCalls.log.pending(input.id)
  if (queued && queued.user_id === input.userId) {
    if (!FINAL_TOOL_CALL_STATUSES.includes(queued.status)) return viewOfRecord(queued)
    await deps.toolCalls.log.written(input.id).catch(() => undefined)
  }
  const row = await findToolCallForUser(deps.db, input)
  if (!row) throw new NotFoundError('tool call')
  return viewOfRow(row)
}

/**
 * Cancels a running call: the upstream gets `notifications/cancelled` (or `tasks/cancel`).
 * A call running on another instance is reached through the event bus. Answers with the call
 * once it has ended, or as it is after a short wait.
 */
export async function cancelToolCall(
  deps: Pick<ToolCallDeps, 'db' | 'toolCalls' | 'events'>,
  input: { userId: string; id: string },
): Promise<ToolCallView> {
  const call = await getToolCall(deps, input)
  if (FINAL_TOOL_CALL_STATUSES.includes(call.status)) return call
  const local = deps.toolCalls.running.get(input.id)
  if (local) {
    local.controller.abort(new CancelledError())
    await local.done
    return toOutcome(local).call
  }
  const ended = waitForEnd(deps, input, CANCEL_WAIT_MS)
  deps.events.signalInstances({ type: 'tool-call.cancel', userId: input.userId, callId: input.id })
  return (await ended) ?? getToolCall(deps, input)
}

/** Every instance hears a cancel; the one running the call stops it. Returns the unsubscribe. */
export function watchCancelSignals(deps: Pick<ToolCallDeps, 'events' | 'toolCalls'>): () => void {
  return deps.events.onInstanceSignal('tool-call.cancel', (signal) => {
    const local = deps.toolCalls.running.get(signal.callId)
    if (local && local.state.userId === signal.userId) local.controller.abort(new CancelledError())
  })
}

function waitForEnd(
  deps: Pick<ToolCallDeps, 'events'>,
  input: { userId: string; id: string },
  ms: number,
): Promise<ToolCallView | null> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      unsubscribe()
      resolve(null)
    }, ms)
    const unsubscribe = deps.events.subscribe(input.userId, (event) => {
      if (event.type !== 'tool-call.updated' || event.call.id !== input.id) return
      if (!FINAL_TOOL_CALL_STATUSES.includes(event.call.status)) return
      clearTimeout(timer)
      unsubscribe()
      resolve(event.call)
    })
  })
}

/** Runs the call upstream and records how it ended (committed before it returns). Never rejects. */
async function execute(
  deps: ToolCallDeps,
  run: {
    input: ToolCallInput
    running: RunningCall
    tool: McpToolWithServer
    server: McpServerRow
    signal: AbortSignal
    idle: IdleTimer
  },
): Promise<CallState> {
  const { input, running, tool, server, signal, idle } = run
  const { state } = running
  const started = performance.now()
  let upstreamMs = 0
  try {
    const result = await withSession(deps, { userId: input.user.id, row: server }, (connection) =>
      deps.tracing.toolCalls.upstream({ tool: tool.name }, (trace) =>
        callUpstream(
          connection,
          {
            name: tool.name,
            arguments: input.arguments,
            execution: tool.execution as Record<string, unknown> | null,
            definition: {
              inputSchema: tool.input_schema as Tool['inputSchema'],
              ...(tool.output_schema
                ? { outputSchema: tool.output_schema as Tool['outputSchema'] }
                : {}),
            },
            signal,
            idle,
            timeoutMs: timeoutOf(deps, server),
            maxDurationMs: deps.config.toolCalls.maxDurationMs,
            onProgress: (progress) => reportProgress(deps, input, state, progress),
            trace,
          },
          input.relay,
        ),
      ),
    ).finally(() => {
      upstreamMs = performance.now() - started
    })
    if (isInputRequiredResult(result)) {
      // The server answered with questions for the caller's client (relayed): this round ends
      // here, and the client's answers come back as a new call. Logged as what happened.
      running.inputRequired = relayedOf(result)
      state.output = { content: [{ type: 'text', text: askedText(result) }] }
      state.status = 'succeeded'
    } else {
      state.output = capOutput(result, deps.config.toolCalls.maxResultBytes)
      if (result.isError) {
        // The server answered, and the tool says it failed: a failed call, its output kept.
        state.status = 'failed'
        state.errorCode = 'tool_error'
        // The tool's own words, in whatever language it speaks: nothing to translate.
        state.error = toolErrorMessage(state.output)
      } else {
        state.status = 'succeeded'
      }
    }
    // It answered: a server shown offline after an outage is online again.
    const latencyMs = Math.round(performance.now() - started)
    await onCallAnswered(deps, { row: server, latencyMs }).catch((err) =>
      deps.log.warn({ err, serverId: server.id }, 'could not record the server as online'),
    )
  } catch (error) {
    Object.assign(state, failureOf(deps, server, error, signal))
    const missing = missingCapabilitiesOf(error)
    if (missing) running.missingCapabilities = missing
    const failure = asMcpFailure(error, endpointOfRow(deps, server))
    if (!signal.aborted && failure.code !== 'upstream_timeout' && failure.status !== 'error') {
      // The server is gone or wants a sign-in: show it on the servers page now.
      await onSessionLost(deps, sessionKey(input.user.id, server), failure).catch(() => undefined)
    }
  }
  const now = deps.now()
  state.finishedAt = now
  state.updatedAt = now
  state.durationMs = Math.round(performance.now() - started)
  await saveFinal(deps, running)
  const totalMs = performance.now() - started
  deps.metrics.toolCalls.finished({ status: state.status, server, upstreamMs, totalMs })
  return state
}

/**
 * Commits the final state before anyone hears it. A state the log cannot store (the log says
 * why) becomes a failure without the result, so the call is not lost; if not even that can be
 * stored, the call is `lost` and whoever waits for it gets an error instead.
 */
async function saveFinal(deps: ToolCallDeps, running: RunningCall): Promise<void> {
  const { state } = running
  try {
    await save(deps, state)
    return
  } catch (error) {
    Object.assign(state, {
      status: 'failed',
      errorCode: 'internal',
      error: 'the call ended, but Switchboard could not store its result: tell your administrator',
      errorReason: reasonOf('toolCall.resultNotStored', {}),
      output: null,
      progress: null,
    } satisfies Partial<CallState>)
    try {
      await save(deps, state)
    } catch {
      running.lost = new AppError(
        'internal',
        `the call to "${state.toolName}" ended, but Switchboard could not record it in your ` +
          'call log: tell your administrator (the server log says why)',
        { cause: error, reason: reasonOf('toolCall.lost', { tool: state.toolName }) },
      )
      // Clients following the call hear that it ended, without a result nobody can look up.
      deps.events.publish(state.userId, { type: 'tool-call.updated', call: viewOfState(state) })
    }
  }
}

/** What an `input_required` round shows in the call log: what was asked, not the questions. */
function askedText(result: InputRequiredResult): string {
  const asked = Object.entries(result.inputRequests ?? {}).map(
    ([key, request]) => `${key} (${(request as { method?: string }).method ?? '?'})`,
  )
  return asked.length > 0
    ? `The server asked the MCP client for input: ${asked.join(', ')}. Its answers come as a new call.`
    : 'The server asked the MCP client to call again with its state.'
}

function toolErrorMessage(output: ToolCallOutput): string {
  const text = output.content.find(
    (block) => block.type === 'text' && typeof block.text === 'string',
  )
  const message = (text?.text as string | undefined)?.trim()
  return message ? message.slice(0, 500) : 'the tool reported an error'
}

function failureOf(
  deps: ToolCallDeps,
  server: McpServerRow,
  error: unknown,
  signal: AbortSignal,
): Pick<CallState, 'status' | 'errorCode' | 'error' | 'errorReason'> {
  if (signal.aborted) {
    const reason = signal.reason
    if (reason instanceof ShutdownError) {
      return {
        status: 'interrupted',
        errorCode: 'interrupted',
        error: reason.message,
        errorReason: reasonOf('toolCall.shutdown', {}),
      }
    }
    const cancelled = reason instanceof CancelledError ? reason : new CancelledError()
    return {
      status: 'cancelled',
      errorCode: 'cancelled',
      error: cancelled.message,
      errorReason: cancelled.reason,
    }
  }
  if (error instanceof TaskTimeoutError) {
    return {
      status: 'timeout',
      errorCode: 'upstream_timeout',
      error: error.message,
      errorReason: reasonOf('toolCall.taskTimeout', { seconds: Math.round(error.ms / 1000) }),
    }
  }
  const failure = asMcpFailure(error, endpointOfRow(deps, server))
  return {
    status: failure.code === 'upstream_timeout' ? 'timeout' : 'failed',
    errorCode: failure.code,
    error: failure.message,
    errorReason: failure.reason,
  }
}

/**
 * How long a sync call is waited for before it is handed back running (and goes on in the
 * background): what the caller asked, at most the operator's `toolCalls.asyncAfterMs`; null
 * (the chat) waits to the end.
 */
function waitFor(deps: ToolCallDeps, asked: number | null | undefined): number | null {
  if (asked === null) return null
  const most = deps.config.toolCalls.asyncAfterMs
  return asked === undefined ? most : Math.min(asked, most)
}

function reportProgress(
  deps: ToolCallDeps,
  input: ToolCallInput,
  state: CallState,
  progress: ToolCallProgress,
): void {
  if (FINAL_TOOL_CALL_STATUSES.includes(state.status)) return
  state.progress = progress
  state.updatedAt = deps.now()
  deps.toolCalls.log.write(recordOf(state))
  deps.events.publish(state.userId, { type: 'tool-call.progress', callId: state.id, progress })
  try {
    input.onProgress?.(progress)
  } catch (err) {
    deps.log.warn({ err }, 'tool-call progress listener failed')
  }
}

/**
 * Commits the call's state to the log, then tells the user's clients: nobody hears of a state
 * the log does not hold. Rejects (CallLogError) if the log had to drop it.
 */
async function save(deps: ToolCallDeps, state: CallState): Promise<void> {
  const view = viewOfState(state)
  await deps.toolCalls.log.commit(recordOf(state))
  try {
    deps.events.publish(state.userId, { type: 'tool-call.updated', call: view })
  } catch (err) {
    // A listener's failure is not the call's: it is recorded, and goes on.
    deps.log.warn({ err }, 'tool-call event listener failed')
  }
}

function timeoutOf(deps: ToolCallDeps, server: McpServerRow): number {
  if (server.user_id === null) {
    const shared = deps.config.mcpServers.find((s) => s.name === server.name)
    return shared?.timeouts.requestMs ?? deps.config.toolCalls.timeoutMs
  }
  return (server.config as ServerConfig).timeouts?.requestMs ?? deps.config.toolCalls.timeoutMs
}

/**
 * The result as the server sent it, unless its JSON is larger than `maxBytes`: then one text
 * block with as much of its text as fits, marked `truncated` (structured content is dropped).
 */
export function capOutput(result: CallToolResult, maxBytes: number): ToolCallOutput {
  const output: ToolCallOutput = {
    content: (result.content ?? []) as ToolCallOutput['content'],
    ...(result.structuredContent !== undefined
      ? { structuredContent: result.structuredContent as Record<string, unknown> }
      : {}),
    ...(result.isError !== undefined ? { isError: result.isError } : {}),
  }
  const size = Buffer.byteLength(JSON.stringify(output))
  if (size <= maxBytes) return output
  const texts = output.content
    .map((block) => (block.type === 'text' && typeof block.text === 'string' ? block.text : ''))
    .join('\n')
  const note = `\n[truncated: the result was ${size} bytes; the limit is ${maxBytes}]`
  const room = Math.max(0, Math.floor(maxBytes / 2) - note.length)
  return {
    content: [{ type: 'text', text: `${texts.slice(0, room)}${note}` }],
    ...(result.isError !== undefined ? { isError: result.isError } : {}),
    truncated: true,
  }
}

/**
 * Arguments come from programs and from models: bounded in depth before anything walks them
 * (masking, validation and the log all would), and in size (413 naming `arguments`).
 */
function checkArgumentShape(args: Record<string, unknown>, maxBytes: number): void {
  const problem = findJsonProblem(args)
  if (problem) {
    const field = problem.field ? `arguments.${problem.field}` : 'arguments'
    throw new ValidationError([{ ...problem, field }])
  }
  const bytes = Buffer.byteLength(JSON.stringify(args))
  if (bytes > maxBytes) {
    const message = `the arguments are ${bytes} bytes; the limit is ${maxBytes}`
    const reason = reasonOf('toolCall.argumentsTooLarge', { bytes, limit: maxBytes })
    throw new AppError('payload_too_large', `${message}: send less`, {
      details: { maxBytes, fields: [{ field: 'arguments', message, reason }] },
      reason,
    })
  }
}

/** A call may be filed under one of the caller's conversations only; any other id is not found. */
async function assertOwnConversation(deps: ToolCallDeps, input: ToolCallInput): Promise<void> {
  const id = input.conversationId as string
  if (!(await findConversationForUser(deps.db, { userId: input.user.id, id }))) {
    throw new NotFoundError('conversation')
  }
}

/** The tool, if it is the caller's (or shared) and switched on, with its server; else refused. */
async function authorize(deps: ToolCallDeps, input: ToolCallInput): Promise<ToolAccess> {
  const found = await findToolAccess(deps, input.user.id, input.target)
  if (!found) {
    await refuse(deps, input, null, 'not_found', { target: describeTarget(input.target) })
    throw new NotFoundError('tool')
  }
  const { tool, server } = found
  if (!server.enabled) {
    await refuse(deps, input, tool, 'server_disabled')
    throw new AppError(
      'disabled',
      `the server "${server.name}" is switched off: switch it on to call its tools`,
      {
        details: { disabled: 'server' },
        reason: reasonOf('toolCall.serverDisabled', { server: server.name }),
      },
    )
  }
  if (!tool.enabled) {
    await refuse(deps, input, tool, 'tool_disabled')
    throw new AppError(
      'disabled',
      `the tool "${tool.name}" of "${server.name}" is switched off: switch it on to call it`,
      {
        details: { disabled: 'tool' },
        reason: reasonOf('toolCall.toolDisabled', { tool: tool.name, server: server.name }),
      },
    )
  }
  if (tool.changed_at !== null) {
    // Withheld from the model until accepted: the same rule for the tester and the API.
    await refuse(deps, input, tool, 'tool_changed')
    throw new AppError(
      'tool_changed',
      `the server "${server.name}" changed the tool "${tool.name}" since it was accepted: ` +
        'review the change on the Servers page and accept it to call the tool again',
      {
        details: { serverId: server.id, toolId: tool.id },
        reason: reasonOf('toolCall.toolChanged', { tool: tool.name, server: server.name }),
      },
    )
  }
  return { tool, server }
}

/** The tool and its server as the user sees them, from the access cache or the database. */
async function findToolAccess(
  deps: ToolCallDeps,
  userId: string,
  target: ToolTarget,
): Promise<ToolAccess | undefined> {
  const key = 'toolId' in target ? target.toolId : `${target.serverId}/${target.toolName}`
  return deps.toolAccess.remember(userId, `tool:${key}`, async () => {
    const tool = await findToolWithServerForUser(deps.db, { userId, ...target })
    const server = tool && (await findServerForUser(deps.db, { userId, id: tool.server_id }))
    return tool && server ? { tool, server } : undefined
  })
}

async function refuse(
  deps: ToolCallDeps,
  input: ToolCallInput,
  tool: McpToolWithServer | null,
  reason: string,
  details: Record<string, unknown> = {},
): Promise<void> {
  await recordAudit(deps, {
    ...auditActor(input),
    action: 'tool_call.refused',
    ...(tool ? { target: { type: 'tool', id: tool.id } } : {}),
    details: {
      reason,
      source: input.source,
      ...(tool ? { server: tool.server_name, tool: tool.name } : {}),
      ...details,
    },
  })
}

function auditActor(input: ToolCallInput) {
  return { userId: input.user.id, actor: input.user.email, ip: input.ip ?? null }
}

function describeTarget(target: ToolTarget): Record<string, string> {
  return 'toolId' in target
    ? { toolId: target.toolId }
    : { serverId: target.serverId, toolName: target.toolName.slice(0, 200) }
}
