import { Server } from '@modelcontextprotocol/server'
import { describe, expect, it, onTestFinished } from 'vitest'
import {
  discoverPrompts,
  type PromptLimits,
} from '../../../../src/server/mcp/catalog/prompt-discovery.ts'
import { promptText } from '../../../../src/server/mcp/servers/prompts.ts'
import { connectInMemory } from '../../../helpers/mcp-servers.ts'

function limits(overrides: Partial<PromptLimits> = {}): PromptLimits {
  return {
    maxPrompts: 1000,
    maxDescriptionChars: 100,
    timeoutMs: 5_000,
    signal: new AbortController().signal,
    ...overrides,
  }
}

/** A low-level server whose `prompts/list` pages are scripted. */
async function promptsServer(
  list: (cursor: string | undefined) => { prompts: unknown[]; nextCursor?: string },
  capabilities: Record<string, unknown> = { prompts: {} },
) {
  const server = new Server({ name: 'scripted', version: '1.0.0' }, { capabilities })
  if (capabilities.prompts) {
    server.setRequestHandler(
      'prompts/list',
      async (request) => list(request.params?.cursor) as never,
    )
  }
  const connection = await connectInMemory(server)
  onTestFinished(() => connection.close())
  return connection
}

describe('discoverPrompts (in-memory SDK server)', () => {
  it('keeps well-formed prompts with their arguments, cleans text, skips the rest with a reason', async () => {
    const connection = await promptsServer(() => ({
      prompts: [
        {
          name: 'review',
          title: 'Code review\u202e',
          description: `${'long '.repeat(50)}`,
          arguments: [
            { name: 'language', description: 'Which one', required: true },
            { name: 'style' },
          ],
        },
        { name: '' },
        { name: 'bell\u0007' },
        { name: 'x'.repeat(201) },
        { name: 'twice', arguments: [{ name: 'a' }, { name: 'a' }] },
        { name: 'badargs', arguments: 'nope' },
        { name: 'review' },
        'not an object',
      ],
    }))
    const listing = await discoverPrompts(connection, limits())
    expect(listing.prompts).toEqual([
      {
        name: 'review',
        title: 'Code review',
        description: expect.stringMatching(/^long long/),
        arguments: [
          { name: 'language', description: 'Which one', required: true },
          { name: 'style', required: false },
        ],
      },
    ])
    expect(listing.prompts[0]?.description?.length).toBeLessThanOrEqual(100)
    expect(listing.skipped.map((skip) => skip.reason)).toEqual([
      expect.stringMatching(/invalid name/),
      expect.stringMatching(/invalid name/),
      expect.stringMatching(/invalid name/),
      'argument "a" listed twice',
      'invalid arguments: not a list',
      'listed twice: the first one is kept',
      'not a prompt object',
    ])
    expect(listing.truncated).toBe(false)
  })

  it('follows pages, stops at the cap, and hashes the listing', async () => {
    const connection = await promptsServer((cursor) =>
      cursor === undefined
        ? { prompts: [{ name: 'a' }, { name: 'b' }], nextCursor: 'next' }
        : { prompts: [{ name: 'c' }] },
    )
    const all = await discoverPrompts(connection, limits())
    expect(all.prompts.map((prompt) => prompt.name)).toEqual(['a', 'b', 'c'])
    const again = await discoverPrompts(connection, limits())
    expect(again.hash).toBe(all.hash)
    const capped = await discoverPrompts(connection, limits({ maxPrompts: 2 }))
    expect(capped.prompts.map((prompt) => prompt.name)).toEqual(['a', 'b'])
    expect(capped.truncated).toBe(true)
  })

  it('lists none from a server without the prompts capability', async () => {
    const connection = await promptsServer(() => ({ prompts: [] }), { tools: {} })
    expect(await discoverPrompts(connection, limits())).toMatchObject({
      prompts: [],
      skipped: [],
      truncated: false,
    })
  })
})

describe('promptText', () => {
  it("joins the messages' text, embedded text resources, and names what it leaves out", () => {
    const text = promptText([
      { role: 'user', content: { type: 'text', text: 'Look at this:\u200b' } },
      {
        role: 'user',
        content: { type: 'resource', resource: { uri: 'file:///a"b.txt', text: 'hello' } },
      },
      { role: 'user', content: { type: 'resource', resource: { uri: 'x:y', blob: 'AAAA' } } },
      { role: 'assistant', content: { type: 'text', text: 'Sure.' } },
      { role: 'user', content: { type: 'image', data: 'AAAA', mimeType: 'image/png' } },
      { role: 'user', content: { type: 'resource_link', uri: 'x:z', name: 'z' } },
    ])
    expect(text).toBe(
      [
        'Look at this:',
        `<resource uri="file:///a'b.txt">\nhello\n</resource>`,
        '[The binary resource x:y (no type) is left out.]',
        '[assistant]\nSure.',
        '[An image (image/png) is left out.]',
        '[Resource link: z <x:z>]',
      ].join('\n\n'),
    )
  })
})
