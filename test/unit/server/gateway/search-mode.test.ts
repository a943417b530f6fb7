import { describe, expect, it } from 'vitest'
import { buildCatalog } from '../../../../src/server/chat/expose-tools.ts'
import type { McpToolWithServer } from '../../../../src/server/db/mcp-tools.ts'
import {
  callToolTarget,
  searchAnswer,
  searchModeTools,
} from '../../../../src/server/gateway/search-mode.ts'

// Search mode of an endpoint profile: the two tools a client lists, what search_tools answers,
// and how call_tool's own arguments are read (the call itself: mcp-endpoint-search.test.ts).

function row(serverName: string, name: string, description: string): McpToolWithServer {
  return {
    id: `${serverName}-${name}`,
    server_id: serverName,
    name,
    title: null,
    description,
    input_schema: { type: 'object', properties: { q: { type: 'string' } } },
    output_schema: null,
    annotations: null,
    enabled: true,
    approval_policy: 'never',
    schema_hash: 'x',
    last_synced_at: new Date(0),
    created_at: new Date(0),
    updated_at: new Date(0),
    changed_at: null,
    previous_definition: null,
    ui: null,
    server_name: serverName,
    server_user_id: 'u',
    server_enabled: true,
  } as unknown as McpToolWithServer
}

const catalog = buildCatalog([
  row('github', 'create_issue', 'Open a new issue in a repository'),
  row('github', 'list_issues', 'List the issues of a repository'),
  row('weather', 'forecast', 'The weather forecast for a city'),
])

describe('searchModeTools', () => {
  it('lists search_tools and call_tool, naming the servers there are to search', () => {
    const [search, call, ...rest] = searchModeTools(catalog.tools)
    expect(rest).toEqual([])
    expect(search?.name).toBe('search_tools')
    expect(search?.description).toMatch(/among the 3 .*from the servers github, weather\./)
    expect(search?.inputSchema).toMatchObject({ required: ['query'] })
    expect(search?.annotations).toMatchObject({ readOnlyHint: true })
    expect(call?.name).toBe('call_tool')
    expect(call?.inputSchema).toMatchObject({
      properties: { name: { type: 'string' }, arguments: { type: 'object' } },
      required: ['name'],
    })
  })

  it('names at most 20 servers and says how many more there are', () => {
    const many = buildCatalog(Array.from({ length: 25 }, (_, i) => row(`s${i + 10}`, 't', 'x')))
    const [search] = searchModeTools(many.tools)
    expect(search?.description).toMatch(/s29 and 5 more\./)
    expect(search?.description).not.toMatch(/s30/)
  })
})

describe('searchAnswer', () => {
  const answer = (args: unknown) => {
    const { content } = searchAnswer(catalog.tools, args)
    return JSON.parse(content[0]?.text ?? '') as {
      tools: { name: string; description: string; inputSchema: unknown }[]
      total: number
      note: string
    }
  }

  it('answers the matches with their unique names, descriptions and input schemas', () => {
    const found = answer({ query: 'github issue', limit: 1 })
    expect(found.tools).toEqual([
      {
        name: 'github__list_issues',
        description: 'List the issues of a repository',
        inputSchema: expect.objectContaining({ properties: { q: { type: 'string' } } }),
      },
    ])
    expect(found.total).toBe(3)
    expect(found.note).toMatch(/call_tool/)
  })

  it('says to try other words when nothing matches', () => {
    expect(answer({ query: 'zebra' })).toMatchObject({
      tools: [],
      note: expect.stringMatching(/other or fewer words/),
    })
  })
})

describe('callToolTarget', () => {
  it('reads the name and the arguments, {} when none are given', () => {
    expect(callToolTarget({ name: 'a__b', arguments: { x: 1 } })).toEqual({
      name: 'a__b',
      arguments: { x: 1 },
    })
    expect(callToolTarget({ name: 'a__b' })).toEqual({ name: 'a__b', arguments: {} })
  })

  it('says what is wrong with arguments it cannot use', () => {
    for (const args of [{}, { name: '' }, { name: 3 }]) {
      expect(callToolTarget(args)).toEqual({ error: expect.stringMatching(/needs "name"/) })
    }
    for (const inner of [[1], 'x', null]) {
      expect(callToolTarget({ name: 'a__b', arguments: inner })).toEqual({
        error: expect.stringMatching(/"arguments" as an object/),
      })
    }
  })
})
