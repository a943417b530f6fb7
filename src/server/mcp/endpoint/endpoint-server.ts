/**
 * The user's personal MCP endpoint (issue 15) as an MCP server: one low-level SDK `Server` per
 * request (both eras are served by `createMcpHandler`, routes/mcp-endpoint.ts), listing the
 * user's offerable tools under the names the chat uses and calling them through the one proxy
 * (ownership, switches, changed tools, argument validation, limits, the call log with source
 * `mcp` and the client's name).
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
  Server,
  type ServerContext,
} from '@modelcontextprotocol/server'
import { z } from 'zod'
import type { ProfileToolNames } from '../../../shared/mcp-profiles.ts'
import type { ToolCallView } from '../../../shared/tool-calls.ts'
import { offeredToolsFor, type ToolCatalogDeps } from '../../chat/expose-tools.ts'
import { assignFunctionNames } from '../../chat/tool-names.ts'
import type { McpPromptRow } from '../../db/mcp-prompts.ts'
import type { McpResourceRow } from '../../db/mcp-resources.ts'
import { AppError } from '../../errors.ts'
import type { ToolCallDeps } from '../../toolcalls/tool-call-service.ts'
import { startToolCall } from '../../toolcalls/tool-call-service.ts'
import { sanitizeText } from '../../untrusted-text.ts'
import { completeArgument } from '../servers/completions.ts'
import { getServerPrompt, searchUserPrompts } from '../servers/prompts.ts'
import { readServerResource, searchUserResources } from '../servers/resources.ts'
import { exposedNames } from './exposed-names.ts'
import { type EndpointState, relayedQuestion, relayOf } from './relay.ts'

export type EndpointDeps = ToolCallDeps & ToolCatalogDeps

const ApprovalSchema = z.object({
  approve: z.boolean().describe('Run this call'),
})

export interface EndpointCaller {
  user: { id: string; email: string }
  /** A profile's servers (`/mcp/p/<name>`): only theirs are offered; null: all of the user's. */
  serverIds: readonly string[] | null
  /** How tools and prompts are named (the profile's choice; `/mcp` itself: prefixed). */
  toolNames: ProfileToolNames
  ip: string | null
  /** What the HTTP request says about the client (its User-Agent), when the protocol does not. */
  userAgent: string | null
}

const INSTRUCTIONS: Record<ProfileToolNames, string> = {
  prefixed:
    "Your tools from Switchboard: every switched-on tool of your MCP servers, named server__tool. Calls go through Switchboard's approvals, rate limits and call log.",
  plain:
    "Your tools from Switchboard: every switched-on tool of your MCP servers, by its own name (server__tool where two servers share one). Calls go through Switchboard's approvals, rate limits and call log.",
}

/** A fresh server for one request of `caller` (the factory `createMcpHandler` calls). */
export function endpointServer(deps: EndpointDeps, caller: EndpointCaller): Server {
  // Bound to the user: an answer minted for one user's call is refused for anyone else's.
  const approvals = createRequestStateCodec<EndpointState>({
    key: requestStateKey(deps.config.secretKey),
    bind: () => caller.user.id,
  })
  const server = new Server(
    { name: 'switchboard', title: 'Switchboard', version: '1.0.0' },
    {
      // Told over `subscriptions/listen` (2026-07-28) when the user's catalog changes
      // (user-handlers.ts).
      capabilities: {
        tools: { listChanged: true },
        prompts: { listChanged: true },
        resources: { listChanged: true },
        completions: {},
      },
      instructions: INSTRUCTIONS[caller.toolNames],
      requestState: { verify: (state, ctx) => approvals.verify(state, ctx) },
    },
  )

  const toolsByName = async () => {
    const catalog = await offeredToolsFor(deps, caller.user.id, { serverIds: caller.serverIds })
    const prefixed = new Map(catalog.tools.map((tool) => [tool.name, tool]))
    return exposedNames(caller.toolNames, prefixed, (tool) => tool.toolName)
  }
  server.setRequestHandler('tools/list', async () => {
    return {
      tools: [...(await toolsByName())].map(([name, tool]) => ({
        name,
        title: tool.title ?? `${tool.serverName} / ${tool.toolName}`,
        description: tool.description,
        inputSchema: tool.parameters as { type: 'object' },
        ...(tool.row.annotations ? { annotations: tool.row.annotations } : {}),
      })),
    }
  })

  server.setRequestHandler('tools/call', async (request, ctx) => {
    const name = request.params.name
    const tool = (await toolsByName()).get(name)
    if (!tool) {
      throw new ProtocolError(
        ProtocolErrorCode.InvalidParams,
        `no tool named "${request.params.name}" is switched on for you in Switchboard`,
      )
    }
    const args = (request.params.arguments ?? {}) as Record<string, unknown>
    const call = { tool: name, arguments: argumentsHash(args) }
    const state = ctx.mcpReq.requestState<EndpointState>()
    // The state of an earlier round of this very call, else none (another call's is ignored).
    const round =
      state && state.tool === call.tool && state.arguments === call.arguments ? state : null
    let approved = round?.approved === true
    if (tool.asksApproval && !approved) {
      const asked = await approvalOf(approvals, ctx, round, {
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
    const progressToken = request.params._meta?.progressToken
    try {
      const outcome = await startToolCall(deps, {
        user: caller.user,
        target: { toolId: tool.row.id },
        arguments: args,
        source: 'mcp',
        clientName: clientNameOf(ctx.mcpReq.envelope, ctx.mcpReq._meta, caller.userAgent),
        mode: 'sync',
        asyncAfterMs: null,
        ip: caller.ip,
        signal: ctx.mcpReq.signal,
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
      if (outcome.kind === 'finished' && outcome.missingCapabilities && ctx.mcpReq.envelope) {
        // 2026-07-28: the client learns what to declare (a 2025 one gets the failed call).
        throw new ProtocolError(
          ProtocolErrorCode.MissingRequiredClientCapability,
          `"${tool.toolName}" of "${tool.serverName}" needs client capabilities this client did not declare`,
          { requiredCapabilities: outcome.missingCapabilities },
        )
      }
      if (outcome.kind === 'finished' && outcome.inputRequired) {
        const done = approved ? { approved: true as const } : {}
        return relayedQuestion(approvals, ctx, { ...call, ...done }, outcome.inputRequired)
      }
      return resultOf(outcome.call)
    } catch (error) {
      // A refusal (invalid arguments, rate limited, switched off…) is the tool's error to the
      // client, in words it can show; anything else is the SDK's internal error.
      if (error instanceof AppError) return errorResult(error.message)
      throw error
    }
  })

  server.setRequestHandler('prompts/list', async () => {
    const named = await promptsByName(deps, caller)
    return {
      prompts: [...named].map(([name, prompt]) => ({
        name,
        title: prompt.title ?? `${prompt.server_name} / ${prompt.name}`,
        ...(prompt.description ? { description: prompt.description } : {}),
        arguments: prompt.arguments,
      })),
    }
  })

  server.setRequestHandler('prompts/get', async (request, ctx) => {
    const prompt = (await promptsByName(deps, caller)).get(request.params.name)
    if (!prompt) {
      throw new ProtocolError(
        ProtocolErrorCode.InvalidParams,
        `no prompt named "${request.params.name}" on your servers in Switchboard`,
      )
    }
    const args = request.params.arguments ?? {}
    // A prompt's rounds carry state as a tool's do, under a name no tool can have.
    const call = { tool: `prompt:${request.params.name}`, arguments: argumentsHash(args) }
    const state = ctx.mcpReq.requestState<EndpointState>()
    const round = state?.tool === call.tool && state.arguments === call.arguments ? state : null
    const result = await asProtocolError(() =>
      getServerPrompt(
        deps,
        {
          userId: caller.user.id,
          serverId: prompt.server_id,
          name: prompt.name,
          arguments: args,
        },
        relayOf(ctx, round, { responses: true }),
      ),
    )
    if ('inputRequired' in result) {
      return relayedQuestion(approvals, ctx, call, result.inputRequired)
    }
    return {
      ...(result.description ? { description: result.description } : {}),
      messages: result.messages as never[],
    }
  })

  server.setRequestHandler('resources/list', async () => {
    const { resources } = await resourcesOf(deps, caller)
    return {
      resources: resources.map(({ row, serverName }) => ({
        uri: row.uri,
        name: row.name,
        title: row.title ?? `${serverName} / ${row.name}`,
        ...(row.description ? { description: row.description } : {}),
        ...(row.mime_type ? { mimeType: row.mime_type } : {}),
        ...(row.size !== null ? { size: row.size } : {}),
      })),
    }
  })

  server.setRequestHandler('resources/templates/list', async () => {
    const { templates } = await resourcesOf(deps, caller)
    return {
      resourceTemplates: templates.map(({ row, serverName }) => ({
        uriTemplate: row.uri,
        name: row.name,
        title: row.title ?? `${serverName} / ${row.name}`,
        ...(row.description ? { description: row.description } : {}),
        ...(row.mime_type ? { mimeType: row.mime_type } : {}),
      })),
    }
  })

  server.setRequestHandler('resources/read', async (request) => {
    const { uri } = request.params
    const serverId = serverOfUri(await resourcesOf(deps, caller), uri)
    if (!serverId) {
      throw new ProtocolError(
        ProtocolErrorCode.InvalidParams,
        `none of your servers in Switchboard lists ${uri.slice(0, 200)}`,
        // SEP-2164: the error names the resource that was not found.
        { uri },
      )
    }
    const { contents } = await asProtocolError(() =>
      readServerResource(deps, { userId: caller.user.id, serverId, uri }),
    )
    return {
      contents: contents.map((part) => ({
        uri: part.uri,
        ...(part.mimeType ? { mimeType: part.mimeType } : {}),
        ...(part.blob !== undefined ? { blob: part.blob } : { text: part.text ?? '' }),
      })),
    }
  })

  // Suggestions for a prompt's argument or a template's variable, from the server that has it
  // (none when it offers no completions).
  server.setRequestHandler('completion/complete', async (request) => {
    const { ref, argument, context } = request.params
    const target = await completionTargetOf(deps, caller, ref)
    if (!target) {
      const what =
        ref.type === 'ref/prompt' ? `the prompt "${ref.name}"` : `the template ${ref.uri}`
      throw new ProtocolError(
        ProtocolErrorCode.InvalidParams,
        `none of your servers in Switchboard offers ${what}`.slice(0, 300),
      )
    }
    const completion = await asProtocolError(() =>
      completeArgument(deps, {
        userId: caller.user.id,
        serverId: target.serverId,
        request: {
          ref: target.ref,
          argument,
          ...(context?.arguments ? { context: { arguments: context.arguments } } : {}),
        },
      }),
    )
    return {
      completion: {
        values: completion.values,
        ...(completion.total !== null ? { total: completion.total } : {}),
        hasMore: completion.hasMore,
      },
    }
  })

  return server
}

/** The most resources, templates or prompts of all a user's servers the endpoint lists. */
const MAX_LISTED = 1000

/** The user's prompts under unique names (`server__prompt`), as tools are named. */
async function promptsByName(
  deps: EndpointDeps,
  caller: EndpointCaller,
): Promise<Map<string, McpPromptRow & { server_name: string }>> {
  const found = await searchUserPrompts(deps, {
    userId: caller.user.id,
    query: '',
    limit: MAX_LISTED,
  })
  const prefixed = assignFunctionNames(
    found
      .filter(({ row }) => inProfile(caller, row.server_id))
      .map(({ row, serverName }) => ({ ...row, server_name: serverName })),
  )
  return exposedNames(caller.toolNames, prefixed, (prompt) => prompt.name)
}

type CompletionRef = { type: 'ref/prompt'; name: string } | { type: 'ref/resource'; uri: string }

/**
 * Where a completion is asked: the server of the prompt (by the name the endpoint gives it,
 * asked under the server's own) or of the template; null when no server of the caller has it.
 */
async function completionTargetOf(
  deps: EndpointDeps,
  caller: EndpointCaller,
  ref: CompletionRef,
): Promise<{ serverId: string; ref: CompletionRef } | null> {
  if (ref.type === 'ref/prompt') {
    const prompt = (await promptsByName(deps, caller)).get(ref.name)
    return prompt ? { serverId: prompt.server_id, ref: { ...ref, name: prompt.name } } : null
  }
  const { templates } = await resourcesOf(deps, caller)
  const template = templates.find(({ row }) => row.uri === ref.uri)
  return template ? { serverId: template.row.server_id, ref } : null
}

function inProfile(caller: EndpointCaller, serverId: string): boolean {
  return caller.serverIds === null || caller.serverIds.includes(serverId)
}

type Listed = { row: McpResourceRow; serverName: string }

async function resourcesOf(
  deps: EndpointDeps,
  caller: EndpointCaller,
): Promise<{ resources: Listed[]; templates: Listed[] }> {
  const found = (
    await searchUserResources(deps, { userId: caller.user.id, query: '', limit: MAX_LISTED })
  ).filter(({ row }) => inProfile(caller, row.server_id))
  return {
    resources: found.filter(({ row }) => row.kind === 'resource'),
    templates: found.filter(({ row }) => row.kind === 'template'),
  }
}

/**
 * The server a URI is read from: the one that lists it, else one whose template it fits
 * (`{…}` matching one or more characters; a `{+…}` path too).
 */
function serverOfUri(
  listed: { resources: Listed[]; templates: Listed[] },
  uri: string,
): string | null {
  const exact = listed.resources.find(({ row }) => row.uri === uri)
  if (exact) return exact.row.server_id
  const fitting = listed.templates.find(({ row }) => templatePattern(row.uri).test(uri))
  return fitting?.row.server_id ?? null
}

function templatePattern(template: string): RegExp {
  const parts = template.split(/(\{[^}]*\})/)
  const source = parts
    .map((part) =>
      part.startsWith('{') ? (part.startsWith('{+') ? '.+' : '[^/?#]+') : escapeRegExp(part),
    )
    .join('')
  return new RegExp(`^${source}$`)
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/** A refusal (foreign, switched off, rate limited, bad arguments) as the protocol's error. */
async function asProtocolError<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run()
  } catch (error) {
    if (error instanceof AppError) {
      throw new ProtocolError(ProtocolErrorCode.InvalidParams, error.message)
    }
    throw error
  }
}

/**
 * The user's answer to "may this call run?", asked through the client (2026-07-28
 * `input_required` with a form elicitation; the question's state is signed and names the tool
 * and arguments, so an answer cannot approve another call). The first time: the result to send
 * back (the question). A client that declared no elicitation, or a 2025 one (a stateless
 * endpoint cannot push a question to it), cannot be asked.
 */
async function approvalOf(
  codec: RequestStateCodec<EndpointState>,
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

function argumentsHash(args: Record<string, unknown>): string {
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

function errorResult(text: string) {
  return { content: [{ type: 'text' as const, text }], isError: true }
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
