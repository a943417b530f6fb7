/**
 * The fixture's multi-round-trip tools and prompt (SEP-2322, 2026-07-28): each answers
 * `input_required` until the client retries with what it asked for, as the conformance suite's
 * input-required-result-* scenarios expect of them. Through Switchboard the questions go to the
 * endpoint's client and its answers come back here.
 *
 * @module
 */
import {
  acceptedContent,
  type createRequestStateCodec,
  inputRequired,
  type McpServer,
  type ServerContext,
} from '@modelcontextprotocol/server'
import { z } from 'zod'

type Codec = ReturnType<typeof createRequestStateCodec<Record<string, unknown>>>

const nameSchema = z.object({ name: z.string() })
const okSchema = z.object({ ok: z.boolean() })
const askName = (message = 'What is your name?') =>
  inputRequired.elicit({ message, requestedSchema: nameSchema })
const confirm = () => inputRequired.elicit({ message: 'Please confirm', requestedSchema: okSchema })
const sample = (text: string, maxTokens: number) =>
  inputRequired.createMessage({
    messages: [{ role: 'user', content: { type: 'text', text } }],
    maxTokens,
  })
const text = (value: string) => ({ content: [{ type: 'text' as const, text: value }] })

/** The response under `key`, whatever its kind (sampling and roots have no `acceptedContent`). */
function responseOf(ctx: ServerContext, key: string): Record<string, unknown> | undefined {
  const response = (ctx.mcpReq.inputResponses as Record<string, unknown> | undefined)?.[key]
  return typeof response === 'object' && response !== null
    ? (response as Record<string, unknown>)
    : undefined
}

/** What the client declared in this request's `_meta` (2026-07-28). */
export function declaredCapabilities(ctx: ServerContext): {
  elicitation?: unknown
  sampling?: unknown
} {
  const envelope = ctx.mcpReq.envelope as Record<string, unknown> | undefined
  return (envelope?.['io.modelcontextprotocol/clientCapabilities'] ?? {}) as {
    elicitation?: unknown
    sampling?: unknown
  }
}

function rootsOf(ctx: ServerContext, key: string): unknown[] | undefined {
  const roots = responseOf(ctx, key)?.roots
  return Array.isArray(roots) ? roots : undefined
}

export function registerInputRequiredTools(server: McpServer, codec: Codec): void {
  const mint = (ctx: ServerContext, state: Record<string, unknown>) => codec.mint(state, ctx)
  const stateOf = (ctx: ServerContext) => ctx.mcpReq.requestState<Record<string, unknown>>()

  server.registerTool(
    'test_input_required_result_elicitation',
    { description: 'Asks the name (elicitation), then greets' },
    async (ctx) => {
      const answer = acceptedContent(ctx.mcpReq.inputResponses, 'user_name', nameSchema)
      if (answer) return text(`Hello, ${answer.name}!`)
      return inputRequired({ inputRequests: { user_name: askName() } })
    },
  )
  server.registerTool(
    'test_input_required_result_sampling',
    { description: 'Asks the client to sample, then says what came back' },
    async (ctx) => {
      const answer = responseOf(ctx, 'sample_request')
      const content = answer?.content as { text?: unknown } | undefined
      if (answer) return text(`Sampling result: ${String(content?.text ?? 'no response')}`)
      return inputRequired({
        inputRequests: { sample_request: sample('What is the capital of France?', 100) },
      })
    },
  )
  server.registerTool(
    'test_input_required_result_list_roots',
    { description: "Asks the client's roots, then counts them" },
    async (ctx) => {
      const roots = rootsOf(ctx, 'roots_request')
      if (roots) return text(`Found ${roots.length} root(s)`)
      return inputRequired({ inputRequests: { roots_request: inputRequired.listRoots() } })
    },
  )
  server.registerTool(
    'test_input_required_result_request_state',
    { description: 'Asks to confirm, carrying state; the retry must bring the state back' },
    async (ctx) => {
      const ok = acceptedContent(ctx.mcpReq.inputResponses, 'confirm', okSchema)
      if (stateOf(ctx)?.kind === 'request-state' && ok?.ok === true) {
        return text('state-ok: requestState validated')
      }
      return inputRequired({
        inputRequests: { confirm: confirm() },
        requestState: await mint(ctx, { kind: 'request-state' }),
      })
    },
  )
  server.registerTool(
    'test_input_required_result_multiple_inputs',
    { description: 'Asks three things at once: a name, a sample and the roots' },
    async (ctx) => {
      const name = acceptedContent(ctx.mcpReq.inputResponses, 'user_name', nameSchema)
      const greeting = responseOf(ctx, 'greeting')
      const roots = rootsOf(ctx, 'client_roots')
      if (stateOf(ctx)?.kind === 'multiple-inputs' && name && greeting && roots) {
        const said = (greeting.content as { text?: unknown } | undefined)?.text
        return text(`Name: ${name.name}; Greeting: ${String(said)}; Roots: ${roots.length}`)
      }
      return inputRequired({
        inputRequests: {
          user_name: askName(),
          greeting: sample('Generate a greeting', 50),
          client_roots: inputRequired.listRoots(),
        },
        requestState: await mint(ctx, { kind: 'multiple-inputs' }),
      })
    },
  )
  server.registerTool(
    'test_input_required_result_multi_round',
    { description: 'Asks the name, then (a second round) a colour' },
    async (ctx) => {
      const state = stateOf(ctx)
      const name = acceptedContent(ctx.mcpReq.inputResponses, 'step1', nameSchema)
      if (state?.round === 1 && name) {
        return inputRequired({
          inputRequests: {
            step2: inputRequired.elicit({
              message: 'Step 2: What is your favorite color?',
              requestedSchema: z.object({ color: z.string() }),
            }),
          },
          requestState: await mint(ctx, { round: 2, name: name.name }),
        })
      }
      const color = acceptedContent(
        ctx.mcpReq.inputResponses,
        'step2',
        z.object({ color: z.string() }),
      )
      if (state?.round === 2 && color) {
        return text(`Multi-round complete for ${String(state.name)} who likes ${color.color}`)
      }
      return inputRequired({
        inputRequests: { step1: askName('Step 1: What is your name?') },
        requestState: await mint(ctx, { round: 1 }),
      })
    },
  )
  // A state that fails the codec's check never reaches here: the SDK answers -32602.
  server.registerTool(
    'test_input_required_result_tampered_state',
    { description: 'Asks to confirm with signed state; altered state is refused' },
    async (ctx) => {
      if (stateOf(ctx)?.kind === 'tamper-test' && responseOf(ctx, 'confirm')) {
        return text('integrity-ok: state verified')
      }
      return inputRequired({
        inputRequests: { confirm: confirm() },
        requestState: await mint(ctx, { kind: 'tamper-test' }),
      })
    },
  )
  server.registerTool(
    'test_input_required_result_capabilities',
    { description: 'Asks only what the client declared it can answer' },
    async (ctx) => {
      const responses = Object.keys(ctx.mcpReq.inputResponses ?? {})
      if (responses.length > 0) return text(`capabilities-ok: received ${responses.join(',')}`)
      const declared = declaredCapabilities(ctx)
      const inputRequests = {
        ...(declared.elicitation
          ? {
              elicit_input: inputRequired.elicit({
                message: 'Elicitation input',
                requestedSchema: z.object({ value: z.string() }),
              }),
            }
          : {}),
        ...(declared.sampling ? { sample_input: sample('Sample request', 50) } : {}),
      }
      if (Object.keys(inputRequests).length === 0) {
        return text('No supported capabilities declared')
      }
      return inputRequired({
        inputRequests,
        requestState: await mint(ctx, { kind: 'capabilities-test' }),
      })
    },
  )
  server.registerPrompt(
    'test_input_required_result_prompt',
    { description: 'A prompt that asks for context (elicitation) first' },
    async (ctx) => {
      const schema = z.object({ context: z.string() })
      const answer = acceptedContent(ctx.mcpReq.inputResponses, 'user_context', schema)
      if (!answer) {
        return inputRequired({
          inputRequests: {
            user_context: inputRequired.elicit({
              message: 'What context should the prompt use?',
              requestedSchema: schema,
            }),
          },
        })
      }
      return {
        messages: [{ role: 'user', content: { type: 'text', text: `Context: ${answer.context}` } }],
      }
    },
  )
}
