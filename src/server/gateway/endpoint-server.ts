/**
 * The user's personal MCP endpoint (issue 15) as an MCP server: one low-level SDK `Server` per
 * request (both eras are served by `createMcpHandler`, routes/mcp-endpoint.ts), listing the
 * user's offerable tools under the names the chat uses, or the servers' own (a profile's choice:
 * exposed-names.ts), or, for a profile in search mode, only `search_tools` and `call_tool`
 * (search-mode.ts); calling them through the one proxy (offered-tool-call.ts: approvals,
 * ownership, switches, changed tools, argument validation, limits, the call log with source
 * `mcp` and the client's name; long calls as tasks: endpoint-tasks.ts); and the servers'
 * prompts, resources and completions, their questions relayed to the client (relay.ts).
 *
 * @module
 */

import { ProtocolError, ProtocolErrorCode, Server } from '@modelcontextprotocol/server'
import type { ProfileToolNames } from '../../shared/mcp-profiles.ts'
import { offeredToolsFor, type ToolCatalogDeps } from '../chat/expose-tools.ts'
import { assignFunctionNames } from '../chat/tool-names.ts'
import type { ProfileOffer } from '../db/mcp-profiles.ts'
import type { McpPromptRow } from '../db/mcp-prompts.ts'
import type { McpResourceRow } from '../db/mcp-resources.ts'
import { AppError } from '../errors.ts'
import { completeArgument } from '../mcp/servers/completions.ts'
import { getServerPrompt, searchUserPrompts } from '../mcp/servers/prompts.ts'
import { readServerResource, searchUserResources } from '../mcp/servers/resources.ts'
import type { ToolCallDeps } from '../toolcalls/tool-call-service.ts'
import { registerTaskMethods, TASKS_EXTENSION, taskSupportOf } from './endpoint-tasks.ts'
import { exposedNames } from './exposed-names.ts'
import {
  approvalCodec,
  argumentsHash,
  callOfferedTool,
  errorResult,
  type OfferedToolCaller,
} from './offered-tool-call.ts'
import { type EndpointState, relayedQuestion, relayOf } from './relay.ts'
import {
  CALL_TOOL_NAME,
  callToolTarget,
  SEARCH_TOOLS_NAME,
  searchAnswer,
  searchModeTools,
} from './search-mode.ts'

export type EndpointDeps = ToolCallDeps & ToolCatalogDeps

export interface EndpointCaller extends OfferedToolCaller {
  /**
   * A profile (`/mcp/p/<name>`): only its servers (their tools, prompts and resources) and its
   * single tools are offered, listed and named as it says; null (`/mcp`): all of the user's,
   * every tool listed, prefixed names.
   */
  profile: ProfileOffer | null
}

const INSTRUCTIONS: Record<ProfileToolNames, string> = {
  prefixed:
    "Your tools from Switchboard: every switched-on tool of your MCP servers, named server__tool. Calls go through Switchboard's approvals, rate limits and call log.",
  plain:
    "Your tools from Switchboard: every switched-on tool of your MCP servers, by its own name (server__tool where two servers share one). Calls go through Switchboard's approvals, rate limits and call log.",
}

const SEARCH_INSTRUCTIONS =
  `Your tools from Switchboard are not listed one by one: call ${SEARCH_TOOLS_NAME} with a few ` +
  `keywords to find the ones you need (names, descriptions, input schemas), then ${CALL_TOOL_NAME} ` +
  "with a tool's name and arguments to run it. Calls go through Switchboard's approvals, rate " +
  'limits and call log.'

/** A fresh server for one request of `caller` (the factory `createMcpHandler` calls). */
export function endpointServer(deps: EndpointDeps, caller: EndpointCaller): Server {
  const approvals = approvalCodec(deps.config.secretKey, caller.user.id)
  const searchMode = caller.profile?.toolMode === 'search'
  const toolNames = namingOf(caller)
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
        // Long calls become tasks for clients that take them (endpoint-tasks.ts).
        extensions: { [TASKS_EXTENSION]: {} },
      },
      instructions: searchMode ? SEARCH_INSTRUCTIONS : INSTRUCTIONS[toolNames],
      requestState: { verify: (state, ctx) => approvals.verify(state, ctx) },
    },
  )

  const catalogOf = () =>
    offeredToolsFor(deps, caller.user.id, {
      serverIds: caller.profile?.serverIds ?? null,
      toolIds: caller.profile?.toolIds ?? [],
    })
  /** The offered tools by the names the client sees them under. */
  const toolsByName = async () => {
    const catalog = await catalogOf()
    const prefixed = new Map(catalog.tools.map((tool) => [tool.name, tool]))
    return { catalog, named: exposedNames(toolNames, prefixed, (tool) => tool.toolName) }
  }
  registerTaskMethods(server, deps, caller.user.id)
  server.setRequestHandler('tools/list', async (_request, ctx) => {
    const { catalog, named } = await toolsByName()
    if (searchMode) return { tools: searchModeTools(catalog.tools) }
    // Task support is said to 2026-07-28 clients only: a 2025 one would ask for 2025 tasks.
    const modern = ctx.mcpReq.envelope !== undefined
    return {
      tools: [...named].map(([name, tool]) => {
        const taskSupport = modern ? taskSupportOf(tool.row.execution) : undefined
        return {
          name,
          title: tool.title ?? `${tool.serverName} / ${tool.toolName}`,
          description: tool.description,
          inputSchema: tool.parameters as { type: 'object' },
          ...(tool.row.annotations ? { annotations: tool.row.annotations } : {}),
          ...(taskSupport ? { execution: { taskSupport } } : {}),
        }
      }),
    }
  })

  server.setRequestHandler('tools/call', async (request, ctx) => {
    const { catalog, named } = await toolsByName()
    const { name } = request.params
    const args = (request.params.arguments ?? {}) as Record<string, unknown>
    const call = (tool: (typeof catalog.tools)[number], callName: string, callArgs: typeof args) =>
      callOfferedTool(deps, {
        caller,
        approvals,
        tool,
        name: callName,
        args: callArgs,
        progressToken: request.params._meta?.progressToken,
        ctx,
      })
    if (searchMode && name === SEARCH_TOOLS_NAME) return searchAnswer(catalog.tools, args)
    if (searchMode && name === CALL_TOOL_NAME) {
      const target = callToolTarget(args)
      if ('error' in target) return errorResult(target.error)
      const tool = catalog.tools.find((entry) => entry.name === target.name)
      // Outside the profile is the same as nowhere: the answer does not tell them apart.
      if (!tool) {
        return errorResult(
          `${unknownTool(target.name)}: ${SEARCH_TOOLS_NAME} finds those that are.`,
        )
      }
      return call(tool, tool.name, target.arguments)
    }
    // In search mode too: a client may call by name a tool that search_tools found.
    const tool =
      named.get(name) ?? (searchMode ? catalog.tools.find((t) => t.name === name) : undefined)
    if (!tool) throw new ProtocolError(ProtocolErrorCode.InvalidParams, unknownTool(name))
    return call(tool, name, args)
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
  return exposedNames(namingOf(caller), prefixed, (prompt) => prompt.name)
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

/** Prompts and resources come with a profile's whole servers only, not with its single tools. */
function inProfile(caller: EndpointCaller, serverId: string): boolean {
  return caller.profile === null || caller.profile.serverIds.includes(serverId)
}

/** `/mcp` itself names tools and prompts prefixed; a profile as it says. */
function namingOf(caller: EndpointCaller): ProfileToolNames {
  return caller.profile?.toolNames ?? 'prefixed'
}

function unknownTool(name: string): string {
  return `no tool named "${name.slice(0, 200)}" is switched on for you in Switchboard`
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
