/**
 * The MCP server behind Switchboard in the conformance suite's server scenarios
 * (scripts/conformance-server.mjs): what the suite calls through the personal endpoint, from the
 * v2 server SDK, after the suite's own reference server (its examples/servers/typescript/
 * everything-server.ts): tools of every content type, an error, progress, prompts, resources and
 * a template, and the multi-round-trip tools (`input_required`, 2026-07-28) the
 * input-required-result-* scenarios retry through Switchboard. Stateless, both eras.
 *
 * @module
 */
import { randomBytes } from 'node:crypto'
import {
  completable,
  createMcpHandler,
  createRequestStateCodec,
  McpServer,
  ResourceTemplate,
} from '@modelcontextprotocol/server'
import { z } from 'zod'
import { type RunningHttp, serveFetch } from '../helpers/mcp-servers.ts'
import { registerInputRequiredTools } from './fixture-input-required.ts'
import { crashProtocolErrorJob, registerTaskTools } from './fixture-task-tools.ts'

/** A 1x1 red PNG and a minimal WAV, as the suite's reference server sends them. */
export const TEST_IMAGE_BASE64 =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg=='
const TEST_AUDIO_BASE64 = 'UklGRiYAAABXQVZFZm10IBAAAAABAAEAQB8AAAB9AAACABAAZGF0YQIAAAA='

/** The server's name in Switchboard, and so the prefix of its tools' names there. */
export const FIXTURE_NAME = 'conformance'

export interface FixtureServer extends RunningHttp {}

/** Serves the fixture on a free port of 127.0.0.1. */
export async function startFixtureServer(): Promise<FixtureServer> {
  // Signs the requestState of the multi-round tools: state that comes back altered is refused.
  const codec = createRequestStateCodec<Record<string, unknown>>({ key: randomBytes(32) })
  const state = { extraTool: false, extraPrompt: false }
  const handler = createMcpHandler(() => fixtureServer(codec, state, changes), {
    legacy: 'stateless',
    keepAliveMs: 0,
  })
  // The suite's list-changed probes: the tool (or prompt) list changes, listening clients hear it.
  const changes = {
    tools: () => {
      state.extraTool = !state.extraTool
      handler.notify.toolsChanged()
    },
    prompts: () => {
      state.extraPrompt = !state.extraPrompt
      handler.notify.promptsChanged()
    },
  }
  const running = await serveFetch(
    async (request) =>
      (await refuseMissingCapability(request)) ??
      (await crashProtocolErrorJob(request)) ??
      handler.fetch(request),
  )
  return {
    ...running,
    close: async () => {
      await handler.close()
      await running.close()
    },
  }
}

/**
 * server-stateless: a call of `test_missing_capability` from a 2026-07-28 client that did not
 * declare `sampling` is refused with -32021 naming it (HTTP 400). Answered here: the SDK's
 * McpServer turns whatever a tool throws into a tool error.
 */
async function refuseMissingCapability(request: Request): Promise<Response | null> {
  if (request.method !== 'POST') return null
  const body = (await request
    .clone()
    .json()
    .catch(() => null)) as {
    id?: unknown
    method?: unknown
    params?: { name?: unknown; _meta?: Record<string, unknown> }
  } | null
  if (body?.method !== 'tools/call' || body.params?.name !== 'test_missing_capability') return null
  const declared = body.params._meta?.['io.modelcontextprotocol/clientCapabilities'] as
    | { sampling?: unknown }
    | undefined
  if (!declared || declared.sampling) return null
  return Response.json(
    {
      jsonrpc: '2.0',
      id: body.id ?? null,
      error: {
        code: -32021,
        message: 'this tool needs the sampling capability',
        data: { requiredCapabilities: { sampling: {} } },
      },
    },
    { status: 400 },
  )
}

type Codec = ReturnType<typeof createRequestStateCodec<Record<string, unknown>>>

function fixtureServer(
  codec: Codec,
  state: { extraTool: boolean; extraPrompt: boolean },
  changes: { tools(): void; prompts(): void },
): McpServer {
  const server = new McpServer(
    { name: 'switchboard-conformance-fixture', version: '1.0.0' },
    {
      capabilities: {
        tools: { listChanged: true },
        prompts: { listChanged: true },
        resources: {},
        logging: {},
      },
      requestState: { verify: (raw, ctx) => codec.verify(raw, ctx) },
    },
  )
  registerContentTools(server)
  registerStreamProbes(server)
  registerInputRequiredTools(server, codec)
  registerTaskTools(server)
  server.registerTool(
    'test_trigger_tool_change',
    { description: 'Adds or removes the tool test_dynamic_tool (a tools/list change)' },
    async () => {
      changes.tools()
      return { content: [{ type: 'text', text: 'the tool list changed' }] }
    },
  )
  server.registerTool(
    'test_trigger_prompt_change',
    { description: 'Adds or removes the prompt test_dynamic_prompt (a prompts/list change)' },
    async () => {
      changes.prompts()
      return { content: [{ type: 'text', text: 'the prompt list changed' }] }
    },
  )
  if (state.extraTool) {
    server.registerTool(
      'test_dynamic_tool',
      { description: 'Listed after test_trigger_tool_change' },
      async () => ({ content: [{ type: 'text', text: 'dynamic' }] }),
    )
  }
  registerResources(server)
  registerPrompts(server, state.extraPrompt)
  return server
}

function registerContentTools(server: McpServer): void {
  const text = (value: string) => ({ type: 'text' as const, text: value })
  server.registerTool(
    'test_simple_text',
    { description: 'Tests simple text content response' },
    async () => ({ content: [text('This is a simple text response for testing.')] }),
  )
  server.registerTool(
    'test_image_content',
    { description: 'Tests image content response' },
    async () => ({
      content: [{ type: 'image', data: TEST_IMAGE_BASE64, mimeType: 'image/png' }],
    }),
  )
  server.registerTool(
    'test_audio_content',
    { description: 'Tests audio content response' },
    async () => ({
      content: [{ type: 'audio', data: TEST_AUDIO_BASE64, mimeType: 'audio/wav' }],
    }),
  )
  server.registerTool(
    'test_embedded_resource',
    { description: 'Tests embedded resource content response' },
    async () => ({
      content: [
        {
          type: 'resource',
          resource: {
            uri: 'test://embedded-resource',
            mimeType: 'text/plain',
            text: 'This is an embedded resource content.',
          },
        },
      ],
    }),
  )
  server.registerTool(
    'test_multiple_content_types',
    { description: 'Tests response with multiple content types (text, image, resource)' },
    async () => ({
      content: [
        text('Multiple content types test:'),
        { type: 'image', data: TEST_IMAGE_BASE64, mimeType: 'image/png' },
        {
          type: 'resource',
          resource: {
            uri: 'test://mixed-content-resource',
            mimeType: 'application/json',
            text: JSON.stringify({ test: 'data', value: 123 }),
          },
        },
      ],
    }),
  )
  server.registerTool(
    'test_tool_with_progress',
    { description: 'Tests tool that reports progress notifications' },
    async (ctx) => {
      const progressToken = ctx.mcpReq._meta?.progressToken
      for (const progress of [0, 50, 100]) {
        if (progressToken !== undefined) {
          await ctx.mcpReq.notify({
            method: 'notifications/progress',
            params: { progressToken, progress, total: 100, message: `Completed step ${progress}` },
          })
        }
        await new Promise((done) => setTimeout(done, 50))
      }
      return { content: [text(String(progressToken))] }
    },
  )
  server.registerTool(
    'test_error_handling',
    { description: 'Tests error response handling' },
    async () => {
      throw new Error('This tool intentionally returns an error for testing')
    },
  )
  // Refused without sampling before it gets here (refuseMissingCapability).
  server.registerTool(
    'test_missing_capability',
    { description: 'Needs the sampling capability; refused with -32021 without it' },
    async () => ({ content: [text('Success')] }),
  )
}

/**
 * server-stateless's probes of the response stream: a call that reports progress before its
 * result (the stream must carry no request of the server's own), and one that logs only when
 * the request asked for a log level (`_meta` logLevel; with none, nothing).
 */
function registerStreamProbes(server: McpServer): void {
  server.registerTool(
    'test_streaming_elicitation',
    { description: 'Reports progress, then answers: the stream carries no request' },
    async (ctx) => {
      const progressToken = ctx.mcpReq._meta?.progressToken
      if (progressToken !== undefined) {
        await ctx.mcpReq.notify({
          method: 'notifications/progress',
          params: { progressToken, progress: 50, total: 100 },
        })
      }
      return { content: [{ type: 'text', text: 'Streaming complete' }] }
    },
  )
  server.registerTool(
    'test_logging_tool',
    { description: 'Logs once, if the request asked for a log level' },
    async (ctx) => {
      await ctx.mcpReq.log('info', 'Diagnostic trace logging activated')
      return { content: [{ type: 'text', text: 'Logging evaluated' }] }
    },
  )
}

function registerResources(server: McpServer): void {
  server.registerResource(
    'static-text',
    'test://static-text',
    {
      title: 'Static Text Resource',
      description: 'A static text resource for testing',
      mimeType: 'text/plain',
    },
    async () => ({
      contents: [
        {
          uri: 'test://static-text',
          mimeType: 'text/plain',
          text: 'This is the content of the static text resource.',
        },
      ],
    }),
  )
  server.registerResource(
    'static-binary',
    'test://static-binary',
    {
      title: 'Static Binary Resource',
      description: 'A static binary resource (image) for testing',
      mimeType: 'image/png',
    },
    async () => ({
      contents: [{ uri: 'test://static-binary', mimeType: 'image/png', blob: TEST_IMAGE_BASE64 }],
    }),
  )
  server.registerResource(
    'template',
    new ResourceTemplate('test://template/{id}/data', { list: undefined }),
    {
      title: 'Resource Template',
      description: 'A resource template with parameter substitution',
      mimeType: 'application/json',
    },
    async (uri, variables) => ({
      contents: [
        {
          uri: uri.toString(),
          mimeType: 'application/json',
          text: JSON.stringify({
            id: variables.id,
            templateTest: true,
            data: `Data for ID: ${variables.id}`,
          }),
        },
      ],
    }),
  )
}

function registerPrompts(server: McpServer, extraPrompt: boolean): void {
  const user = (text: string) => ({
    role: 'user' as const,
    content: { type: 'text' as const, text },
  })
  server.registerPrompt(
    'test_simple_prompt',
    { title: 'Simple Test Prompt', description: 'A simple prompt without arguments' },
    async () => ({ messages: [user('This is a simple prompt for testing.')] }),
  )
  server.registerPrompt(
    'test_prompt_with_arguments',
    {
      title: 'Prompt With Arguments',
      description: 'A prompt with required arguments',
      argsSchema: z.object({
        arg1: completable(z.string().describe('First test argument'), (value) =>
          ['paris', 'park', 'party', 'test', 'testing'].filter((word) => word.startsWith(value)),
        ),
        arg2: z.string().describe('Second test argument'),
      }),
    },
    async ({ arg1, arg2 }) => ({
      messages: [user(`Prompt with arguments: arg1='${arg1}', arg2='${arg2}'`)],
    }),
  )
  server.registerPrompt(
    'test_prompt_with_embedded_resource',
    {
      title: 'Prompt With Embedded Resource',
      description: 'A prompt that includes an embedded resource',
      argsSchema: z.object({ resourceUri: z.string().describe('URI of the resource to embed') }),
    },
    async ({ resourceUri }) => ({
      messages: [
        {
          role: 'user',
          content: {
            type: 'resource',
            resource: {
              uri: resourceUri,
              mimeType: 'text/plain',
              text: 'Embedded resource content for testing.',
            },
          },
        },
        user('Please process the embedded resource above.'),
      ],
    }),
  )
  server.registerPrompt(
    'test_prompt_with_image',
    { title: 'Prompt With Image', description: 'A prompt that includes image content' },
    async () => ({
      messages: [
        {
          role: 'user',
          content: { type: 'image', data: TEST_IMAGE_BASE64, mimeType: 'image/png' },
        },
        user('Please analyze the image above.'),
      ],
    }),
  )
  if (extraPrompt) {
    server.registerPrompt(
      'test_dynamic_prompt',
      { description: 'Listed after test_trigger_prompt_change' },
      async () => ({ messages: [user('dynamic')] }),
    )
  }
}
