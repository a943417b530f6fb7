import { dynamicTool, type JSONSchema7, jsonSchema } from 'ai'

/** One tool as `search_tools` sees it: its function name and what the model would be offered. */
export interface SearchableTool {
  name: string
  toolName: string
  serverName: string
  title: string | null
  description: string
  parameters: Record<string, unknown>
}

export interface SearchResult {
  tools: { name: string; description: string; parameters: Record<string, unknown> }[]
  /** How many tools exist in all; the model is told it may search again with other words. */
  total: number
  note: string
}

export const SEARCH_DEFAULT_LIMIT = 8
export const SEARCH_MAX_LIMIT = 20
const DEFAULT_LIMIT = SEARCH_DEFAULT_LIMIT
const MAX_LIMIT = SEARCH_MAX_LIMIT

/** The input of `search_tools`, wherever it is offered (the chat, the MCP endpoint's search mode). */
export const SEARCH_TOOLS_INPUT_SCHEMA = {
  type: 'object',
  properties: {
    query: { type: 'string', description: 'Keywords describing the tool you need' },
    limit: {
      type: 'integer',
      minimum: 1,
      maximum: MAX_LIMIT,
      description: `How many tools at most (default ${DEFAULT_LIMIT})`,
    },
  },
  required: ['query'],
} satisfies JSONSchema7

/**
 * Ranks tools for a keyword query: every query word found in the tool's names (function name,
 * tool name, server name, title) counts 3, in its description 1; an exact tool name counts 10.
 * Ties go to the shorter name, then the alphabetical one, so results are stable.
 */
export function searchTools(
  tools: readonly SearchableTool[],
  query: string,
  limit = DEFAULT_LIMIT,
): SearchableTool[] {
  const words = [
    ...new Set(
      query
        .toLowerCase()
        .split(/[^\p{L}\p{N}]+/u)
        .filter((word) => word.length >= 2),
    ),
  ].slice(0, 20)
  const wanted = query.trim().toLowerCase()
  const scored = tools.map((tool) => {
    const names = [tool.name, tool.toolName, tool.serverName, tool.title ?? '']
      .join(' ')
      .toLowerCase()
    const description = tool.description.toLowerCase()
    let score =
      tool.toolName.toLowerCase() === wanted || tool.name.toLowerCase() === wanted ? 10 : 0
    for (const word of words) {
      if (names.includes(word)) score += 3
      else if (description.includes(word)) score += 1
    }
    return { tool, score }
  })
  return scored
    .filter((entry) => entry.score > 0)
    .sort(
      (a, b) =>
        b.score - a.score ||
        a.tool.name.length - b.tool.name.length ||
        a.tool.name.localeCompare(b.tool.name),
    )
    .slice(0, Math.min(Math.max(1, limit), MAX_LIMIT))
    .map((entry) => entry.tool)
}

/** The tools a `search_tools` call asks for: its arguments as the model sent them, unchecked. */
export function searchToolsFor(tools: readonly SearchableTool[], args: unknown): SearchableTool[] {
  const { query, limit } = (args ?? {}) as { query?: unknown; limit?: unknown }
  return searchTools(
    tools,
    typeof query === 'string' ? query : '',
    typeof limit === 'number' ? limit : DEFAULT_LIMIT,
  )
}

/**
 * `search_tools`: offered instead of the tools themselves when the user has more than the
 * budget. What it returns is added to `loaded`, which `prepareStep` turns into the active
 * tools of the next steps.
 */
export function createSearchTool(input: { tools: readonly SearchableTool[]; loaded: Set<string> }) {
  return dynamicTool({
    title: 'Search tools',
    description:
      `Find tools among the ${input.tools.length} the user has connected. Give a few keywords ` +
      'describing the task (e.g. "github issues", "weather forecast"); matching tools are ' +
      'returned with their parameters and become available to call by name.',
    inputSchema: jsonSchema(SEARCH_TOOLS_INPUT_SCHEMA),
    execute: async (args): Promise<SearchResult> => {
      const found = searchToolsFor(input.tools, args)
      for (const tool of found) input.loaded.add(tool.name)
      return {
        tools: found.map(({ name, description, parameters }) => ({
          name,
          description,
          parameters,
        })),
        total: input.tools.length,
        note: found.length
          ? 'These tools can now be called by name.'
          : 'No tool matches: try other or fewer words.',
      }
    },
  })
}
