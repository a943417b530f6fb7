import { Server } from '@modelcontextprotocol/server'
import { describe, expect, it, onTestFinished } from 'vitest'
import {
  discoverResources,
  type ResourceLimits,
} from '../../../../src/server/mcp/catalog/resource-discovery.ts'
import type { McpConnection } from '../../../../src/server/mcp/client/connect.ts'
import { connectInMemory } from '../../../helpers/mcp-servers.ts'

const LIMITS: Omit<ResourceLimits, 'signal'> = {
  maxResources: 1000,
  maxDescriptionChars: 100,
  maxAnnotationBytes: 4096,
  timeoutMs: 5_000,
}

function limits(overrides: Partial<ResourceLimits> = {}): ResourceLimits {
  return { ...LIMITS, signal: new AbortController().signal, ...overrides }
}

/** A low-level server whose listings are scripted: the SDK speaks MCP, the lists misbehave. */
function resourcesServer(script: {
  resources?: (cursor: string | undefined) => { resources: unknown[]; nextCursor?: string }
  templates?: (() => { resourceTemplates: unknown[] }) | 'unknown'
}): Server {
  const server = new Server(
    { name: 'scripted', version: '1.0.0' },
    { capabilities: { resources: {} } },
  )
  server.setRequestHandler(
    'resources/list',
    async (request) =>
      (script.resources ?? (() => ({ resources: [] })))(request.params?.cursor) as never,
  )
  const { templates } = script
  if (templates !== 'unknown') {
    server.setRequestHandler(
      'resources/templates/list',
      async () => (templates ?? (() => ({ resourceTemplates: [] })))() as never,
    )
  }
  return server
}

async function connected(server: Server): Promise<McpConnection> {
  const connection = await connectInMemory(server)
  onTestFinished(() => connection.close())
  return connection
}

describe('discoverResources (in-memory SDK server)', () => {
  it('keeps well-formed resources, cleans their text and skips the rest with a reason', async () => {
    const server = resourcesServer({
      resources: () => ({
        resources: [
          {
            uri: 'file:///notes.txt',
            name: 'notes\u0007\u202e',
            title: 'Notes',
            description: `${'long '.repeat(50)}`,
            mimeType: 'text/plain',
            size: 120,
            annotations: { audience: ['user', 'robot'], priority: 0.5, other: 'dropped' },
          },
          { uri: 'no scheme here', name: 'bad' },
          { uri: `x:${'a'.repeat(3000)}`, name: 'too long' },
          { name: 'no uri' },
          'not an object',
          { uri: 'file:///notes.txt', name: 'twice' },
          { uri: 'https://example.com/a', mimeType: 'not a mime type', size: -1 },
        ],
      }),
      templates: () => ({
        resourceTemplates: [{ uriTemplate: 'file:///{path}', name: 'Any file' }, { name: 'x' }],
      }),
    })
    const listing = await discoverResources(await connected(server), limits())
    expect(listing.resources).toEqual([
      {
        kind: 'resource',
        uri: 'file:///notes.txt',
        name: 'notes',
        title: 'Notes',
        description: expect.stringMatching(/^long long .*…$/),
        mimeType: 'text/plain',
        size: 120,
        annotations: { audience: ['user'], priority: 0.5 },
      },
      {
        kind: 'resource',
        uri: 'https://example.com/a',
        // No name: the URI stands in for it.
        name: 'https://example.com/a',
        title: null,
        description: null,
        mimeType: null,
        size: null,
        annotations: null,
      },
    ])
    expect(listing.resources[0]?.description?.length).toBe(100)
    expect(listing.templates).toMatchObject([{ kind: 'template', uri: 'file:///{path}' }])
    const reasons = listing.skipped.map((entry) => entry.reason)
    expect(reasons).toEqual([
      expect.stringMatching(/invalid uri/),
      expect.stringMatching(/invalid uri/),
      expect.stringMatching(/invalid uri/),
      'not a resource object',
      'listed twice: the first one is kept',
      expect.stringMatching(/invalid uriTemplate/),
    ])
    expect(listing.truncated).toBe(false)
  })

  it('follows pages, and stops at the cap or a repeated cursor with truncated', async () => {
    const page = (n: number) =>
      Array.from({ length: 10 }, (_, i) => ({ uri: `test://r/${n * 10 + i}`, name: `r${n}${i}` }))
    const paged = () =>
      resourcesServer({
        resources: (cursor) =>
          cursor === undefined
            ? { resources: page(0), nextCursor: 'one' }
            : cursor === 'one'
              ? { resources: page(1), nextCursor: 'two' }
              : { resources: page(2) },
      })
    const all = await discoverResources(await connected(paged()), limits())
    expect(all.resources).toHaveLength(30)
    expect(all.truncated).toBe(false)

    const capped = await discoverResources(await connected(paged()), limits({ maxResources: 15 }))
    expect(capped.resources).toHaveLength(15)
    expect(capped.truncated).toBe(true)

    const looping = resourcesServer({
      resources: () => ({ resources: page(0), nextCursor: 'again' }),
    })
    const loop = await discoverResources(await connected(looping), limits())
    expect(loop.truncated).toBe(true)
  })

  it('has nothing for a server without the capability, and no templates from one that lacks the method', async () => {
    const none = new Server({ name: 'none', version: '1.0.0' }, { capabilities: { tools: {} } })
    expect(await discoverResources(await connected(none), limits())).toMatchObject({
      resources: [],
      templates: [],
      truncated: false,
    })
    const old = resourcesServer({
      resources: () => ({ resources: [{ uri: 'file:///a', name: 'a' }] }),
      templates: 'unknown',
    })
    const listing = await discoverResources(await connected(old), limits())
    expect(listing.resources).toHaveLength(1)
    expect(listing.templates).toEqual([])
  })

  it('hashes the listing: equal listings hash equally, any change shows', async () => {
    const listed = (name: string) =>
      resourcesServer({ resources: () => ({ resources: [{ uri: 'file:///a', name }] }) })
    const a = await discoverResources(await connected(listed('a')), limits())
    const again = await discoverResources(await connected(listed('a')), limits())
    const renamed = await discoverResources(await connected(listed('b')), limits())
    expect(again.hash).toBe(a.hash)
    expect(renamed.hash).not.toBe(a.hash)
  })
})
