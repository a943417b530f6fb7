/**
 * One call of an offered tool from the personal MCP endpoint, whether the client named the tool
 * (`tools/call`) or asked for it through `call_tool` (search mode): the user's approval asked
 * through the client where the tool asks first, then the one proxy (ownership, switches, changed
 * tools, argument validation, limits, the call log with source `mcp` and the client's name).
 *
 * @module
 */

import { createHash, hkdfSync } from 'node:crypto'
import {
  acceptedContent,
  createRequestStateCodec,
  inputRequired,
  ProtocolError,
  ProtocolErrorCode,
  type RequestStateCodec,
  type ServerContext,
} from '@modelcontextprotocol/server'
import { z } from 'zod'
import type { ToolCallView } from '../../shared/tool-calls.ts'
import type { OfferedTool } from '../chat/expose-tools.ts'
import { AppError } from '../errors.ts'
import type { ToolCallDeps } from '../toolcalls/tool-call-service.ts'
import { startToolCall } from '../toolcalls/tool-call-service.ts'
import { sanitizeText } from '../untrusted-text.ts'
import {
  clientTakesTasks,
  taskAfterMs,
  taskHandle,
  taskSupportOf,
  tasksRequired,
} from './endpoint-tasks.ts'
import { type EndpointState, relayedQuestion, relayOf } from './relay.ts'

/** Signs what a question to the client carries (relay.ts `EndpointState`). */
export type ApprovalCodec = RequestStateCodec<EndpointState>

const ApprovalSchema = z.object({
  approve: z.boolean().describe('Run this call'),
})

/** Who calls: the user, where from, and what the HTTP request says about the client. */
export interface OfferedToolCaller {
  user: { id: string; email: string }
  ip: string | null
  /** The client's User-Agent, when the protocol does not say its name. */
  userAgent: string | null
}

/** The codec of approval questions, bound to the user: an answer for one user's call is refused for anyone else's. */
export function approvalCodec(secretKey: Buffer, userId: string): ApprovalCodec {
  return createRequestStateCodec<EndpointState>({
    key: requestStateKey(secretKey),
    bind: () => userId,
  })
}

/**
 * Calls `tool` with `args` for the caller and answers as `tools/call` does: the tool's own
 * result, an approval question (`input_required`), or a refusal as the tool's error in words the
 * client can show.
 */
export async function callOfferedTool(
  deps: ToolCallDeps,
  input: {
    caller: OfferedToolCaller
    approvals: ApprovalCodec
    tool: OfferedTool
    /** The name the client called it by (what a question's state is bound to). */
    name: string
    args: Record<string, unknown>
    progressToken: string | number | undefined
    ctx: ServerContext
  },
) {
  const { caller, tool, args, ctx, progressToken } = input
  const call = { tool: input.name, arguments: argumentsHash(args) }
  const state = ctx.mcpReq.requestState<EndpointState>()
  // The state of an earlier round of this very call, else none (another call's is ignored).
  const round =
    state && state.tool === call.tool && state.arguments === call.arguments ? state : null
  let approved = round?.approved === true
  if (tool.asksApproval && !approved) {
    const asked = await approvalOf(input.approvals, ctx, round, {
      ...call,
      question:
        `Switchboard: allow "${tool.toolName}" of "${tool.serverName}" to run with these ` +
        `arguments?\n${JSON.stringify(args, null, 2).slice(0, 2000)}`,
    })
    if (asked === 'denied') return errorResult('You denied this call: it was not made.')
    if (asked === 'cannot-ask') {
      return errorResult(
        `"${tool.toolName}" of "${tool.serverName}" asks for your approval before it runs, ` +
          'and this client cannot be asked. To allow it here, set its approval to "Never ask" ' +
          "on the server's page in Switchboard.",
      )
    }
    if (asked !== 'approved') return asked
    approved = true
  }
  // The answers of an approval question are Switchboard's, not the server's.
  const relay = relayOf(ctx, round, { responses: round?.upstream !== undefined || !round })
  // A client that takes tasks is not held on a long call: it gets a handle (endpoint-tasks.ts),
  // and the call goes on with its own signal (the request's ends with the request).
  const asTask = clientTakesTasks(ctx.mcpReq.envelope)
  if (!asTask && ctx.mcpReq.envelope && taskSupportOf(tool.row.execution) === 'required') {
    throw tasksRequired(`"${tool.toolName}" of "${tool.serverName}"`)
  }
  const controller = new AbortController()
  const forwardAbort = () => controller.abort(ctx.mcpReq.signal.reason)
  if (asTask) ctx.mcpReq.signal.addEventListener('abort', forwardAbort, { once: true })
  try {
    const outcome = await startToolCall(deps, {
      user: caller.user,
      target: { toolId: tool.row.id },
      arguments: args,
      source: 'mcp',
      clientName: clientNameOf(ctx.mcpReq.envelope, ctx.mcpReq._meta, caller.userAgent),
      mode: 'sync',
      asyncAfterMs: asTask ? taskAfterMs(tool.row.execution) : null,
      ip: caller.ip,
      signal: asTask ? controller.signal : ctx.mcpReq.signal,
      ...(relay ? { relay } : {}),
      ...(progressToken !== undefined
        ? {
            onProgress: (progress) => {
              void ctx.mcpReq
                .notify({
                  method: 'notifications/progress',
                  params: {
                    progressToken,
                    progress: progress.progress,
                    ...(progress.total !== undefined ? { total: progress.total } : {}),
                    ...(progress.message ? { message: progress.message } : {}),
                  },
                })
                .catch(() => {})
            },
          }
        : {}),
    })
    if (outcome.kind === 'accepted') return taskHandle(outcome.call)
    if (outcome.missingCapabilities && ctx.mcpReq.envelope) {
      // 2026-07-28: the client learns what to declare (a 2025 one gets the failed call).
      throw new ProtocolError(
        ProtocolErrorCode.MissingRequiredClientCapability,
        `"${tool.toolName}" of "${tool.serverName}" needs client capabilities this client did not declare`,
        { requiredCapabilities: outcome.missingCapabilities },
      )
    }
    if (outcome.inputRequired) {
      const done = approved ? { approved: true as const } : {}
      return relayedQuestion(input.approvals, ctx, { ...call, ...done }, outcome.inputRequired)
    }
    return resultOf(outcome.call)
  } catch (error) {
    // A refusal (invalid arguments, rate limited, switched off…) is the tool's error to the
    // client, in words it can show; anything else is the SDK's internal error.
    if (error instanceof AppError) return errorResult(error.message)
    throw error
  } finally {
    ctx.mcpReq.signal.removeEventListener('abort', forwardAbort)
  }
}

/** A tool result that says what went wrong (data for the model, not a protocol error). */
export function errorResult(text: string) {
  return { content: [{ type: 'text' as const, text }], isError: true }
}

/**
 * The user's answer to "may this call run?", asked through the client (2026-07-28
 * `input_required` with a form elicitation; the question's state is signed and names the tool
 * and arguments, so an answer cannot approve another call). The first time: the result to send
 * back (the question). A client that declared no elicitation, or a 2025 one (a stateless
 * endpoint cannot push a question to it), cannot be asked.
 */
async function approvalOf(
  codec: ApprovalCodec,
  ctx: ServerContext,
  round: EndpointState | null,
  call: EndpointState & { question: string },
): Promise<'approved' | 'denied' | 'cannot-ask' | ReturnType<typeof inputRequired>> {
  if (round && round.upstream === undefined) {
    const answer = acceptedContent(ctx.mcpReq.inputResponses, 'approve', ApprovalSchema)
    return answer?.approve === true ? 'approved' : 'denied'
  }
  const capabilities = pick(ctx.mcpReq.envelope, 'io.modelcontextprotocol/clientCapabilities')
  if (!pick(capabilities, 'elicitation')) return 'cannot-ask'
  return inputRequired({
    inputRequests: {
      approve: inputRequired.elicit({ message: call.question, requestedSchema: ApprovalSchema }),
    },
    requestState: await codec.mint({ tool: call.tool, arguments: call.arguments }, ctx),
  })
}

/** Binds a question's state to the arguments it was asked for. */
export function argumentsHash(args: Record<string, unknown>): string {
  return createHash('sha256').update(JSON.stringify(args)).digest('base64url')
}

/** The HMAC key of approval questions: derived from the instance's secret key, the same on all. */
function requestStateKey(secretKey: Buffer): Uint8Array {
  return new Uint8Array(
    hkdfSync('sha256', secretKey, '', 'switchboard mcp endpoint requestState', 32),
  )
}

/** The call as the client reads it: the tool's own result, or what went wrong as an error. */
function resultOf(call: ToolCallView) {
  if (call.status === 'succeeded' && call.output) {
    return {
      content: call.output.content as never[],
      ...(call.output.structuredContent
        ? { structuredContent: call.output.structuredContent }
        : {}),
      ...(call.output.isError ? { isError: true } : {}),
    }
  }
  if (call.output?.isError) {
    return { content: call.output.content as never[], isError: true }
  }
  return errorResult(call.error ?? `the call ended: ${call.status}`)
}

/**
 * The name the client gave itself: `clientInfo` of a 2026-07-28 request, else its User-Agent
 * (a 2025 client said it only in `initialize`, which a stateless endpoint does not keep).
 */
function clientNameOf(envelope: unknown, meta: unknown, userAgent: string | null): string | null {
  const info =
    pick(envelope, 'io.modelcontextprotocol/clientInfo') ??
    pick(meta, 'io.modelcontextprotocol/clientInfo')
  const named = pick(info, 'title') ?? pick(info, 'name')
  const raw = typeof named === 'string' ? named : userAgent
  return raw ? sanitizeText(raw, { maxChars: 100 }) || null : null
}

function pick(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null
    ? (value as Record<string, unknown>)[key]
    : undefined
}
