/**
 * Passing a server's questions on to the endpoint's own client (2026-07-28 multi-round trips,
 * SEP-2322): a client that declared it can answer (elicitation, sampling, roots) gets the
 * server's `input_required` as it is, under Switchboard's own signed `requestState` that holds
 * the server's; its retry brings the answers, and the server's state goes back to the server.
 * A client that declared none of these leaves the questions to Switchboard's own interface.
 *
 * @module
 */
import {
  CLIENT_CAPABILITIES_META_KEY,
  inputRequired,
  type RequestStateCodec,
  type ServerContext,
} from '@modelcontextprotocol/server'
import type { RelayedInputRequired, UpstreamRelay } from '../mcp/client/relay.ts'

/** The capabilities a server may ask through: the kinds of `inputRequests` there are. */
const RELAYED_CAPABILITIES = ['elicitation', 'sampling', 'roots'] as const

/**
 * What an endpoint question carries to the client and back: which call it was asked for, and
 * (relayed rounds) whether the user already approved it and the server's own state.
 */
export interface EndpointState {
  tool: string
  /** sha256 of the arguments' JSON: an answer is for these arguments only. */
  arguments: string
  /** Switchboard's approval was given for this call (a later round is not asked again). */
  approved?: true
  /** Set on a relayed round: the server's `requestState`, when it sent one. */
  upstream?: { state?: string }
}

/** The relay for this request, or none when the client cannot be asked. */
export function relayOf(
  ctx: ServerContext,
  state: EndpointState | null,
  options: { responses: boolean },
): UpstreamRelay | undefined {
  const envelope = ctx.mcpReq.envelope as Record<string, unknown> | undefined
  const declared = envelope?.[CLIENT_CAPABILITIES_META_KEY] as Record<string, unknown> | undefined
  const capabilities = Object.fromEntries(
    RELAYED_CAPABILITIES.filter((key) => declared?.[key] !== undefined).map((key) => [
      key,
      declared?.[key],
    ]),
  )
  if (Object.keys(capabilities).length === 0) return undefined
  const responses = options.responses ? ctx.mcpReq.inputResponses : undefined
  const upstreamState = state?.upstream?.state
  return {
    clientCapabilities: capabilities,
    ...(responses ? { inputResponses: responses as Record<string, unknown> } : {}),
    ...(upstreamState !== undefined ? { requestState: upstreamState } : {}),
  }
}

/** The server's questions to the client, with Switchboard's state around the server's. */
export async function relayedQuestion(
  codec: RequestStateCodec<EndpointState>,
  ctx: ServerContext,
  call: Omit<EndpointState, 'upstream'>,
  asked: RelayedInputRequired,
) {
  const upstream = asked.requestState !== undefined ? { state: asked.requestState } : {}
  return inputRequired({
    ...(asked.inputRequests ? { inputRequests: asked.inputRequests as never } : {}),
    requestState: await codec.mint({ ...call, upstream }, ctx),
  })
}
