import type { z } from 'zod'
import type {
  McpAuthInput,
  McpAuthView,
  McpServerView,
  Timeouts,
  USER_TRANSPORTS,
} from '../../shared/mcp-servers.ts'

export type UserTransport = (typeof USER_TRANSPORTS)[number]
export type AuthType = McpAuthInput['type']

export interface HeaderRow {
  /** Stable React key: rows are added and removed in the middle. */
  key: number
  name: string
  value: string
}

/** What the server form edits: strings as typed, turned into API input on submit. */
export interface ServerFormValues {
  name: string
  description: string
  transport: UserTransport
  url: string
  authType: AuthType
  token: string
  headers: HeaderRow[]
  scope: string
  /** Seconds, as typed; the API takes milliseconds. */
  connectSeconds: string
  requestSeconds: string
}

let nextRowKey = 0
export function newHeaderRow(name = ''): HeaderRow {
  nextRowKey += 1
  return { key: nextRowKey, name, value: '' }
}

export function emptyServerValues(): ServerFormValues {
  return {
    name: '',
    description: '',
    transport: 'streamable-http',
    url: '',
    authType: 'none',
    token: '',
    headers: [newHeaderRow()],
    scope: '',
    connectSeconds: '',
    requestSeconds: '',
  }
}

/** A stored server as form values. Secrets are never sent back, so their fields start empty. */
export function serverToValues(server: McpServerView): ServerFormValues {
  const headerNames = server.auth.headerNames ?? []
  return {
    name: server.name,
    description: server.description ?? '',
    // Only config servers can be stdio, and those are never edited here.
    transport: server.transport === 'stdio' ? 'streamable-http' : server.transport,
    url: server.url ?? '',
    authType: server.auth.type,
    token: '',
    headers: headerNames.length ? headerNames.map((name) => newHeaderRow(name)) : [newHeaderRow()],
    scope: '',
    connectSeconds: msToSeconds(server.timeouts.connectMs),
    requestSeconds: msToSeconds(server.timeouts.requestMs),
  }
}

function msToSeconds(ms: number | undefined): string {
  return ms === undefined ? '' : String(ms / 1000)
}

function secondsToMs(seconds: string): number | undefined {
  const trimmed = seconds.trim()
  // NaN is left for the schema to reject, so the field gets its message.
  return trimmed === '' ? undefined : Math.round(Number(trimmed) * 1000)
}

function blankToUndefined(value: string): string | undefined {
  const trimmed = value.trim()
  return trimmed === '' ? undefined : trimmed
}

function authInput(values: ServerFormValues): McpAuthInput {
  switch (values.authType) {
    case 'none':
      return { type: 'none' }
    case 'bearer':
      return { type: 'bearer', token: blankToUndefined(values.token) }
    case 'headers':
      return {
        type: 'headers',
        headers: values.headers.map((row) => ({
          name: row.name.trim(),
          value: row.value === '' ? undefined : row.value,
        })),
      }
    case 'oauth':
      return { type: 'oauth', scope: blankToUndefined(values.scope) }
  }
}

function timeoutsInput(values: ServerFormValues): Timeouts | undefined {
  const connectMs = secondsToMs(values.connectSeconds)
  const requestMs = secondsToMs(values.requestSeconds)
  if (connectMs === undefined && requestMs === undefined) return undefined
  return {
    ...(connectMs === undefined ? {} : { connectMs }),
    ...(requestMs === undefined ? {} : { requestMs }),
  }
}

/** The body of a create, before the shared schema checks it. */
export function toCreateInput(values: ServerFormValues) {
  return {
    name: values.name,
    description: blankToUndefined(values.description),
    transport: values.transport,
    url: values.url.trim(),
    auth: authInput(values),
    timeouts: timeoutsInput(values),
  }
}

/**
 * The body of an update: only what changed. Sending an unchanged URL or auth would make the
 * server check the connection again for nothing.
 */
export function toUpdateInput(values: ServerFormValues, server: McpServerView) {
  const changes: Record<string, unknown> = {}
  if (values.name.trim() !== server.name) changes.name = values.name
  const description = blankToUndefined(values.description) ?? null
  if (description !== server.description) changes.description = description
  if (values.transport !== server.transport) changes.transport = values.transport
  if (values.url.trim() !== (server.url ?? '')) changes.url = values.url.trim()
  if (authChanged(values, server.auth)) changes.auth = authInput(values)
  const timeouts = timeoutsInput(values) ?? {}
  if (
    timeouts.connectMs !== server.timeouts.connectMs ||
    timeouts.requestMs !== server.timeouts.requestMs
  ) {
    changes.timeouts = timeouts
  }
  return changes
}

function authChanged(values: ServerFormValues, stored: McpAuthView): boolean {
  if (values.authType !== stored.type) return true
  switch (values.authType) {
    case 'none':
      return false
    case 'bearer':
      return values.token.trim() !== ''
    case 'headers': {
      const names = values.headers.map((row) => row.name.trim())
      const storedNames = stored.headerNames ?? []
      return (
        values.headers.some((row) => row.value !== '') ||
        names.length !== storedNames.length ||
        names.some((name, index) => name !== storedNames[index])
      )
    }
    case 'oauth':
      // The stored scope is not part of the reply: a typed one is a change, an empty one is not.
      return values.scope.trim() !== ''
  }
}

/**
 * Secrets the schema cannot require (they are optional so an update can keep the stored one):
 * a new token, and a value for each header that has none stored.
 */
export function missingSecretIssues(
  values: ServerFormValues,
  stored: McpAuthView | null,
): z.core.$ZodIssue[] {
  const required = (path: PropertyKey[]): z.core.$ZodIssue => ({
    code: 'too_small',
    origin: 'string',
    minimum: 1,
    inclusive: true,
    path,
    message: 'required',
  })
  if (values.authType === 'bearer') {
    const kept = stored?.type === 'bearer' && stored.secretSet
    return values.token.trim() === '' && !kept ? [required(['auth', 'token'])] : []
  }
  if (values.authType === 'headers') {
    const storedNames = new Set(
      stored?.type === 'headers' && stored.secretSet
        ? (stored.headerNames ?? []).map((n) => n.toLowerCase())
        : [],
    )
    return values.headers.flatMap((row, index) =>
      row.value === '' && !storedNames.has(row.name.trim().toLowerCase())
        ? [required(['auth', 'headers', index, 'value'])]
        : [],
    )
  }
  return []
}

/**
 * The credentials an edit keeps. The server never sends a stored token or header values to a
 * changed URL, so once the URL is edited they count as not stored and must be entered again.
 */
export function keptAuth(
  values: ServerFormValues,
  server: McpServerView | null,
): McpAuthView | null {
  if (!server) return null
  const { auth } = server
  const moved = values.url.trim() !== (server.url ?? '')
  const leavesBehind =
    moved && auth.secretSet && (auth.type === 'bearer' || auth.type === 'headers')
  return leavesBehind ? { ...auth, secretSet: false } : auth
}

/** Whether a header row keeps a stored value when left empty. */
export function headerValueStored(name: string, stored: McpAuthView | null): boolean {
  if (stored?.type !== 'headers' || !stored.secretSet) return false
  const wanted = name.trim().toLowerCase()
  return (stored.headerNames ?? []).some((n) => n.toLowerCase() === wanted)
}
