/**
 * Search mode of an endpoint profile (issue 15, "too many tools"): instead of one definition per
 * tool, the client is offered two, `search_tools` (keywords → matching tools with their names,
 * descriptions and input schemas, ranked by the chat's own search) and `call_tool` (a name and
 * its arguments → that tool's result, through the same path as a direct call). A client with 500
 * tools then pays for two definitions up front and a few found ones when it needs them.
 *
 * @module
 */

import type { Tool } from '@modelcontextprotocol/server'
import { SEARCH_TOOLS_NAME } from '../../shared/chat.ts'
import type { OfferedTool } from '../chat/expose-tools.ts'
import {
  SEARCH_DEFAULT_LIMIT,
  SEARCH_MAX_LIMIT,
  SEARCH_TOOLS_INPUT_SCHEMA,
  searchToolsFor,
} from '../chat/tool-search.ts'

export { SEARCH_TOOLS_NAME }
export const CALL_TOOL_NAME = 'call_tool'

/** Server names a `search_tools` description lists, so the model knows what there is to find. */
const NAMED_SERVERS_MAX = 20

/** The two tools a search-mode client sees in `tools/list`. */
export function searchModeTools(tools: readonly OfferedTool[]): Tool[] {
  return [
    {
      name: SEARCH_TOOLS_NAME,
      title: 'Search tools',
      description:
        `Find tools among the ${tools.length} this connection offers${serversNote(tools)}. ` +
        'Give a few keywords describing the task (e.g. "github issues", "weather forecast"). ' +
        `Returns the best matches (${SEARCH_DEFAULT_LIMIT} unless you set limit, at most ` +
        `${SEARCH_MAX_LIMIT}), each with its name, description and inputSchema; run one with ` +
        `${CALL_TOOL_NAME}. Nothing fits? Search again with other or fewer words.`,
      inputSchema: SEARCH_TOOLS_INPUT_SCHEMA,
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    },
    {
      name: CALL_TOOL_NAME,
      title: 'Call a tool',
      description:
        `Run a tool that ${SEARCH_TOOLS_NAME} found: its exact name, and arguments that match ` +
        "its inputSchema. Returns that tool's own result. Some tools ask the user to approve " +
        'the call first.',
      inputSchema: {
        type: 'object',
        properties: {
          name: {
            type: 'string',
            description: `The tool's name exactly as ${SEARCH_TOOLS_NAME} returned it (server__tool)`,
          },
          arguments: {
            type: 'object',
            description: `The tool's arguments, matching the inputSchema ${SEARCH_TOOLS_NAME} returned`,
          },
        },
        required: ['name'],
      },
    },
  ]
}

/** A `search_tools` answer: the matches as the client would have listed them, and what to do next. */
export function searchAnswer(tools: readonly OfferedTool[], args: unknown) {
  const found = searchToolsFor(tools, args)
  const answer = {
    tools: found.map((tool) => ({
      name: tool.name,
      description: tool.description,
      inputSchema: tool.parameters,
    })),
    total: tools.length,
    note: found.length
      ? `Run one with ${CALL_TOOL_NAME}: {"name": "<name>", "arguments": {…}}.`
      : 'No tool matches: try other or fewer words.',
  }
  return { content: [{ type: 'text' as const, text: JSON.stringify(answer) }] }
}

/** What a `call_tool` call asks for, or what is wrong with its arguments. */
export function callToolTarget(
  args: Record<string, unknown>,
): { name: string; arguments: Record<string, unknown> } | { error: string } {
  const { name, arguments: inner } = args
  if (typeof name !== 'string' || name === '') {
    return {
      error: `${CALL_TOOL_NAME} needs "name": a tool's name as ${SEARCH_TOOLS_NAME} returned it.`,
    }
  }
  if (
    inner !== undefined &&
    (typeof inner !== 'object' || inner === null || Array.isArray(inner))
  ) {
    return { error: `${CALL_TOOL_NAME} needs "arguments" as an object (the tool's arguments).` }
  }
  return { name, arguments: (inner ?? {}) as Record<string, unknown> }
}

function serversNote(tools: readonly OfferedTool[]): string {
  const servers = [...new Set(tools.map((tool) => tool.serverName))].sort()
  if (servers.length === 0) return ''
  const named = servers.slice(0, NAMED_SERVERS_MAX).join(', ')
  const more =
    servers.length > NAMED_SERVERS_MAX ? ` and ${servers.length - NAMED_SERVERS_MAX} more` : ''
  return ` from the servers ${named}${more}`
}
