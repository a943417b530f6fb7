/**
 * A request whose questions go to the caller's own MCP client instead of Switchboard's user
 * interface (2026-07-28 multi-round trips, SEP-2322, through the personal endpoint): the server
 * sees that client's capabilities, an `input_required` answer comes back as it is, and the
 * client's retry brings its answers and the server's state to pass on. A 2025 server asks
 * through Switchboard as before (it has no such answer).
 *
 * @module
 */
import {
  CLIENT_CAPABILITIES_META_KEY,
  ProtocolError,
  ProtocolErrorCode,
} from '@modelcontextprotocol/client'

export interface UpstreamRelay {
  /** What the client declared it can answer (`elicitation`, `sampling`, `roots`). */
  clientCapabilities: Record<string, unknown>
  inputResponses?: Record<string, unknown>
  /** The server's own `requestState` from the previous round, exactly as it sent it. */
  requestState?: string
}

/** What the server asked the caller's client (`input_required`), to pass on as is. */
export interface RelayedInputRequired {
  inputRequests?: Record<string, unknown>
  requestState?: string
}

/** The request's params for a relayed round: the answers, the state, the client's capabilities. */
export function relayParams(
  relay: UpstreamRelay,
  meta: Record<string, unknown> = {},
): {
  inputResponses?: Record<string, unknown>
  requestState?: string
  _meta: Record<string, unknown>
} {
  return {
    ...(relay.inputResponses ? { inputResponses: relay.inputResponses } : {}),
    ...(relay.requestState !== undefined ? { requestState: relay.requestState } : {}),
    _meta: { ...meta, [CLIENT_CAPABILITIES_META_KEY]: relay.clientCapabilities },
  }
}

/** `input_required` as relayed: only the questions and the server's state. */
export function relayedOf(result: {
  inputRequests?: Record<string, unknown>
  requestState?: string
}): RelayedInputRequired {
  return {
    ...(result.inputRequests ? { inputRequests: result.inputRequests } : {}),
    ...(result.requestState !== undefined ? { requestState: result.requestState } : {}),
  }
}

/**
 * The capabilities a server refused the request for (`-32021`, MissingRequiredClientCapability),
 * for the endpoint to tell its client (with a relay the server judged that client's own
 * declaration; without one, the client declared nothing it could ask through); null for any
 * other error.
 */
export function missingCapabilitiesOf(error: unknown): Record<string, unknown> | null {
  for (let entry = error; entry instanceof Error; entry = entry.cause) {
    if (
      entry instanceof ProtocolError &&
      entry.code === ProtocolErrorCode.MissingRequiredClientCapability
    ) {
      const required = (entry.data as { requiredCapabilities?: unknown } | undefined)
        ?.requiredCapabilities
      return typeof required === 'object' && required !== null
        ? (required as Record<string, unknown>)
        : {}
    }
  }
  return null
}
