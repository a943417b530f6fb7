import { describe, expect, it } from 'vitest'
import { requiresApproval } from '../../../src/server/chat/expose-tools.ts'
import {
  chatOutputOf,
  renderForModel,
  ToolCallFailure,
} from '../../../src/server/chat/tool-results.ts'
import { searchTools, searchToolsFor } from '../../../src/server/chat/tool-search.ts'
import type { ToolCallView } from '../../../src/shared/tool-calls.ts'

describe('requiresApproval', () => {
  it.each([
    ['always', { readOnlyHint: true }, true],
    ['never', { destructiveHint: true }, false],
    ['auto', null, true],
    ['auto', { readOnlyHint: false }, true],
    ['auto', { readOnlyHint: true }, false],
    ['auto', { readOnlyHint: true, destructiveHint: false }, false],
    ['auto', { readOnlyHint: true, destructiveHint: true }, true],
  ] as const)('policy %s with %j asks: %s', (approval_policy, annotations, asks) => {
    expect(requiresApproval({ approval_policy, annotations })).toBe(asks)
  })
})

function call(overrides: Partial<ToolCallView>): ToolCallView {
  return {
    id: 'call-1',
    serverId: 's',
    serverName: 'srv',
    toolId: 't',
    toolName: 'tool',
    conversationId: null,
    messageId: null,
    source: 'chat',
    clientName: null,
    mode: 'sync',
    status: 'succeeded',
    input: {},
    output: { content: [{ type: 'text', text: 'ok' }] },
    errorCode: null,
    error: null,
    errorReason: null,
    progress: null,
    createdAt: new Date(0).toISOString(),
    startedAt: null,
    finishedAt: null,
    durationMs: 1,
    ...overrides,
  }
}

describe('chatOutputOf', () => {
  it('caps what reaches the model and the stored message', () => {
    const big = call({ output: { content: [{ type: 'text', text: 'y'.repeat(5_000) }] } })
    const output = chatOutputOf(big, 1_000)
    expect(output.truncated).toBe(true)
    expect(JSON.stringify(output.content).length).toBeLessThan(1_100)
    const text = renderForModel(output, 1_000)
    expect(text.length).toBeLessThanOrEqual(1_000)
    expect(text).toMatch(/truncated/)
  })

  it('replaces large binary blocks with a note, and shows structured content when no text', () => {
    const image = call({
      output: {
        content: [{ type: 'image', mimeType: 'image/png', data: 'A'.repeat(10_000) }],
        structuredContent: { sum: 5 },
      },
    })
    const output = chatOutputOf(image, 1_000)
    expect(output.content[0]).toEqual({ type: 'text', text: expect.stringMatching(/image block/) })
    expect(output.structuredContent).toEqual({ sum: 5 })
    const only = chatOutputOf(call({ output: { content: [], structuredContent: { a: 1 } } }), 500)
    expect(renderForModel(only, 500)).toBe('{"a":1}')
  })

  it('throws a failure the model can read for errors, failures and refusals', () => {
    const isError = call({
      status: 'failed',
      output: { content: [{ type: 'text', text: 'nope' }], isError: true },
    })
    expect(() => chatOutputOf(isError, 100)).toThrow('The tool reported an error: nope')
    const timeout = call({ status: 'timeout', output: null, error: 'no answer in 60 s' })
    expect(() => chatOutputOf(timeout, 100)).toThrow(ToolCallFailure)
    expect(() => chatOutputOf(timeout, 100)).toThrow('Tool call timeout: no answer in 60 s')
  })
})

describe('searchTools', () => {
  const tools = [
    ['github__list_issues', 'list_issues', 'github', 'List the issues of a repository'],
    ['github__create_issue', 'create_issue', 'github', 'Open a new issue'],
    ['weather__forecast', 'forecast', 'weather', 'The weather forecast for a city'],
    ['files__read', 'read', 'files', 'Read a file'],
  ].map(([name, toolName, serverName, description]) => ({
    name: name as string,
    toolName: toolName as string,
    serverName: serverName as string,
    title: null,
    description: description as string,
    parameters: { type: 'object' },
  }))

  it('ranks name matches above description matches', () => {
    expect(searchTools(tools, 'github issues').map((t) => t.name)).toEqual([
      'github__list_issues',
      'github__create_issue',
    ])
    expect(searchTools(tools, 'city weather')[0]?.name).toBe('weather__forecast')
    expect(searchTools(tools, 'read')[0]?.name).toBe('files__read')
  })

  it('finds nothing for unrelated words and honours the limit', () => {
    expect(searchTools(tools, 'zebra')).toEqual([])
    expect(searchTools(tools, '')).toEqual([])
    expect(searchTools(tools, 'issue', 1)).toHaveLength(1)
  })

  it('reads the arguments a model sent, whatever their shape (searchToolsFor)', () => {
    expect(searchToolsFor(tools, { query: 'github issues', limit: 1 }).map((t) => t.name)).toEqual([
      'github__list_issues',
    ])
    expect(searchToolsFor(tools, { query: 'issue' })).toHaveLength(2)
    expect(searchToolsFor(tools, { query: 42 })).toEqual([])
    expect(searchToolsFor(tools, null)).toEqual([])
    // A limit past the cap is capped, not refused.
    expect(searchToolsFor(tools, { query: 'a e i o', limit: 1000 }).length).toBeLessThanOrEqual(20)
  })
})
