/**
 * Tool discovery: walks every `tools/list` page of a connected server and turns the untrusted
 * definitions into `DiscoveredTool`s: control characters stripped, lengths and sizes capped,
 * invalid names and schemas skipped with a reason instead of failing the whole server.
 *
 * @module
 */
import { createHash } from 'node:crypto'
import type { ToolUiMeta } from '../../db/schema.ts'
import { createSchemaCompiler } from '../../json-schema.ts'
import { sanitizeText } from '../../untrusted-text.ts'
import { readUiResources, type UiResource, uiMetaOf } from '../apps/ui-resources.ts'
import type { McpConnection } from '../client/connect.ts'
import {
  McpTimeoutError,
  startDeadline,
  toMcpFailure,
  toUpstreamError,
} from '../client/upstream-errors.ts'
import { headerParameterProblem } from './header-parameters.ts'
import { listPages } from './list-pages.ts'
import { discoverPrompts, type PromptListing } from './prompt-discovery.ts'
import { discoverResources, type ResourceListing } from './resource-discovery.ts'

export interface DiscoveryLimits {
  /** Tools kept per server (default 1000); more sets `truncated`. */
  maxTools: number
  /** Description length in characters, ellipsis included (default 2000). */
  maxDescriptionChars: number
  /** Size of each schema (input, output) and of annotations, as JSON bytes (default 65_536). */
  maxSchemaBytes: number
  /** The whole listing, every page included (default 30 s). */
  timeoutMs: number
  /** Pages fetched at most (default `maxTools + 1`): a guard against endless pagination. */
  maxPages?: number
}

export interface DiscoveredTool {
  name: string
  title: string | null
  description: string | null
  inputSchema: Record<string, unknown>
  outputSchema: Record<string, unknown> | null
  annotations: Record<string, unknown> | null
  /** e.g. `{ taskSupport: 'optional' }` */
  execution: Record<string, unknown> | null
  /** `_meta.ui` (MCP Apps): the `ui://` resource the tool renders its result with. */
  ui?: ToolUiMeta | null
  /** sha256 hex over a canonical (sorted-keys) JSON of the full definition (`hashToolDefinition`). */
  hash: string
}

export interface DiscoveryResult {
  tools: DiscoveredTool[]
  skipped: { name: string; reason: string }[]
  /** The listing stopped early; `stopReason` says why. */
  truncated: boolean
  /** The connection's last listing, still current: nothing to store again. */
  reused?: boolean
  /**
   * `max_tools`: more than maxTools valid tools; `cursor_loop`: the server repeated a cursor;
   * `page_limit`: more than maxPages pages, or more than 2 × maxTools + 100 entries in all.
   */
  stopReason?: 'max_tools' | 'cursor_loop' | 'page_limit'
  /** With `discoverCatalog`: the server's resources and templates, unless listing them failed. */
  resources?: ResourceListing
  /** Why the resources could not be listed (the tools still count): shown with the server. */
  resourceError?: string
  /** With `discoverCatalog`: the server's prompts, unless listing them failed. */
  prompts?: PromptListing
  /** Why the prompts could not be listed (the tools still count). */
  promptError?: string
  /** The UI resources (MCP Apps) the tools name, as read now; unreadable ones are left out. */
  uiResources?: UiResource[]
}

export const DEFAULT_DISCOVERY_LIMITS: DiscoveryLimits = {
  maxTools: 1000,
  maxDescriptionChars: 2000,
  maxSchemaBytes: 65_536,
  timeoutMs: 30_000,
}

// MCP spec 2025-11-25, server/tools, "Tool Names": 1-128 characters of A-Z a-z 0-9 _ - .
const TOOL_NAME = /^[A-Za-z0-9_.-]{1,128}$/
const MAX_TITLE_CHARS = 200
const MAX_REASON_CHARS = 200
const MAX_JSON_DEPTH = 64

/** However long a server says its list stays fresh, a routine check asks again after an hour. */
const MAX_FRESH_MS = 60 * 60 * 1000

/**
 * A listing stays current this long while the session hears the server's list-changed
 * notifications: routine checks then only ping, and list again after this as a safety net.
 */
const LISTENING_FRESH_MS = 10 * 60 * 1000

/**
 * The last complete listing of a connection, while the server said it stays fresh (`ttlMs`), or
 * while it would tell us of a change (`listening`).
 */
const freshListings = new WeakMap<
  object,
  { result: DiscoveryResult; until: number; whileListening: boolean }
>()

/**
 * Lists every tool of `connection` (following each `nextCursor`) within `limits.timeoutMs`.
 * Keeps the first `maxTools` valid tools; skips (with a reason) invalid names, duplicate names,
 * and schemas that are not JSON object schemas, are too large or too deep, or do not compile.
 * Stops early, with `truncated`, on more than `maxTools`, a repeated cursor, or more than
 * `maxPages` pages. A server without the tools capability has none. Failures (timeout,
 * transport, JSON-RPC error) reject with an `UpstreamError`.
 */
export async function discoverTools(
  connection: McpConnection,
  limits: DiscoveryLimits = DEFAULT_DISCOVERY_LIMITS,
  options: { reuseFresh?: boolean } = {},
): Promise<DiscoveryResult> {
  if (!connection.client.getServerCapabilities()?.tools) {
    return { tools: [], skipped: [], truncated: false }
  }
  // A routine check asks again only once the server's `ttlMs` has passed (a list-changed
  // notification, Sync and Test always ask).
  const fresh = freshListings.get(connection.client)
  const stillFresh =
    fresh &&
    Date.now() < fresh.until &&
    (!fresh.whileListening || (connection.listening?.() ?? false))
  if (options.reuseFresh && fresh && stillFresh) return { ...fresh.result, reused: true }
  const deadline = startDeadline(limits.timeoutMs)
  try {
    const { result, ttlMs } = await deadline.race(listAllPages(connection, limits, deadline.signal))
    if (ttlMs) {
      const until = Date.now() + Math.min(ttlMs, MAX_FRESH_MS)
      freshListings.set(connection.client, { result, until, whileListening: false })
    } else if (connection.listening?.()) {
      const until = Date.now() + LISTENING_FRESH_MS
      freshListings.set(connection.client, { result, until, whileListening: true })
    } else freshListings.delete(connection.client)
    return result
  } catch (error) {
    const cause = deadline.timedOut
      ? new McpTimeoutError(limits.timeoutMs, { cause: error })
      : error
    const target = connection.endpoint ?? {
      name: connection.serverInfo.name,
      transport: 'streamable-http' as const,
    }
    throw toUpstreamError(toMcpFailure(cause, target, { timeoutMs: limits.timeoutMs }), cause)
  } finally {
    deadline.clear()
  }
}

/**
 * What a check or a probe lists: the tools (`discoverTools`), then the resources and resource
 * templates, then the prompts. A listing of tools reused from the session reuses the rest too
 * (nothing is asked). A server whose resources or prompts cannot be listed keeps its tools and
 * its stored ones; `resourceError` and `promptError` say why.
 */
export async function discoverCatalog(
  connection: McpConnection,
  limits: DiscoveryLimits = DEFAULT_DISCOVERY_LIMITS,
  options: { reuseFresh?: boolean } = {},
): Promise<DiscoveryResult> {
  const tools = await discoverTools(connection, limits, options)
  if (tools.reused) return tools
  const resources = await listBesideTools(limits, (signal) =>
    discoverResources(connection, {
      maxResources: limits.maxTools,
      maxDescriptionChars: limits.maxDescriptionChars,
      maxAnnotationBytes: 4096,
      timeoutMs: limits.timeoutMs,
      signal,
    }),
  )
  const prompts = await listBesideTools(limits, (signal) =>
    discoverPrompts(connection, {
      maxPrompts: limits.maxTools,
      maxDescriptionChars: limits.maxDescriptionChars,
      timeoutMs: limits.timeoutMs,
      signal,
    }),
  )
  return {
    ...tools,
    ...('listing' in resources
      ? { resources: resources.listing }
      : { resourceError: resources.error }),
    ...('listing' in prompts ? { prompts: prompts.listing } : { promptError: prompts.error }),
  }
}

/** A listing that may fail without failing the tools': its result, or why it failed. */
async function listBesideTools<T>(
  limits: DiscoveryLimits,
  list: (signal: AbortSignal) => Promise<T>,
): Promise<{ listing: T } | { error: string }> {
  const deadline = startDeadline(limits.timeoutMs)
  try {
    return { listing: await deadline.race(list(deadline.signal)) }
  } catch (error) {
    const why = deadline.timedOut
      ? `no answer within ${Math.round(limits.timeoutMs / 1000)} s`
      : error instanceof Error
        ? error.message
        : String(error)
    return { error: sanitizeText(why, { maxChars: MAX_REASON_CHARS }) }
  } finally {
    deadline.clear()
  }
}

async function listAllPages(
  connection: McpConnection,
  limits: DiscoveryLimits,
  signal: AbortSignal,
): Promise<{ result: DiscoveryResult; ttlMs: number | undefined }> {
  // Header parameters (SEP-2243) only mean something to a 2026-07-28 server.
  const collector = new ToolCollector(limits, {
    headerParameters: connection.serverInfo.era === 'modern',
  })
  const listing = await listPages(connection, {
    method: 'tools/list',
    key: 'tools',
    add: (raw) => collector.add(raw),
    maxPages: limits.maxPages ?? limits.maxTools + 1,
    // Bounds work and memory when a server floods pages with tools that are all skipped.
    maxEntries: limits.maxTools * 2 + 100,
    timeoutMs: limits.timeoutMs,
    signal,
  })
  const stopReason = listing.stopReason === 'max_items' ? 'max_tools' : listing.stopReason
  const result = collector.result(stopReason)
  // The apps are read with the tools: a changed app is a changed tool (tool-cache.ts).
  const uris = result.tools.flatMap((tool) => (tool.ui ? [tool.ui.resourceUri] : []))
  if (uris.length > 0 && connection.client.getServerCapabilities()?.resources) {
    const read = await readUiResources(connection, uris, { signal, timeoutMs: limits.timeoutMs })
    result.uiResources = [...read.resources.values()]
    for (const { uri, reason } of read.failed) {
      result.skipped.push({
        name: uri.slice(0, 200),
        reason: sanitizeText(`the app could not be read: ${reason}`, {
          maxChars: MAX_REASON_CHARS,
        }),
      })
    }
  }
  return { result, ttlMs: listing.ttlMs }
}

class ToolCollector {
  private readonly tools: DiscoveredTool[] = []
  private readonly skipped: DiscoveryResult['skipped'] = []
  private readonly names = new Set<string>()
  private readonly checkSchema = createSchemaChecker()
  private readonly limits: DiscoveryLimits
  private readonly options: { headerParameters: boolean }

  constructor(limits: DiscoveryLimits, options: { headerParameters: boolean }) {
    this.limits = limits
    this.options = options
  }

  /** False when the tool would be one more than `maxTools`. */
  add(raw: unknown): boolean {
    const checked = toDiscoveredTool(raw, this.limits, this.checkSchema)
    const headerProblem =
      this.options.headerParameters && !('reason' in checked)
        ? headerParameterProblem(checked.inputSchema)
        : null
    if ('reason' in checked) {
      this.skipped.push(checked)
    } else if (headerProblem) {
      this.skipped.push({
        name: checked.name,
        reason: sanitizeText(`invalid header parameter: ${headerProblem}`, {
          maxChars: MAX_REASON_CHARS,
        }),
      })
    } else if (this.names.has(checked.name)) {
      this.skipped.push({ name: checked.name, reason: 'duplicate name: the first one is kept' })
    } else if (this.tools.length >= this.limits.maxTools) {
      return false
    } else {
      this.names.add(checked.name)
      this.tools.push(checked)
    }
    return true
  }

  result(stopReason?: DiscoveryResult['stopReason']): DiscoveryResult {
    return {
      tools: this.tools,
      skipped: this.skipped,
      truncated: stopReason !== undefined,
      ...(stopReason ? { stopReason } : {}),
    }
  }
}

type Skip = { name: string; reason: string }
type SchemaChecker = (schema: Record<string, unknown>, json: string) => string | null

function toDiscoveredTool(
  raw: unknown,
  limits: DiscoveryLimits,
  checkSchema: SchemaChecker,
): DiscoveredTool | Skip {
  if (!isPlainObject(raw)) return { name: '(not an object)', reason: 'not a tool object' }
  const { name } = raw
  if (typeof name !== 'string' || !TOOL_NAME.test(name)) {
    const shown = typeof name === 'string' ? sanitizeText(name, { maxChars: 128 }) : ''
    const reason = 'invalid name: use 1-128 characters of A-Z, a-z, 0-9, _, - and .'
    return { name: shown || '(no name)', reason }
  }
  const skip = (reason: string): Skip => ({
    name,
    reason: sanitizeText(reason, { maxChars: MAX_REASON_CHARS }),
  })
  const inputSchema = vetSchema(raw.inputSchema, 'inputSchema', limits, checkSchema)
  if (typeof inputSchema === 'string') return skip(inputSchema)
  const outputSchema =
    raw.outputSchema === undefined || raw.outputSchema === null
      ? null
      : vetSchema(raw.outputSchema, 'outputSchema', limits, checkSchema)
  if (typeof outputSchema === 'string') return skip(outputSchema)
  const annotations = vetMetadata(raw.annotations, 'annotations', limits)
  if (typeof annotations === 'string') return skip(annotations)
  const execution = vetMetadata(raw.execution, 'execution', limits)
  if (typeof execution === 'string') return skip(execution)
  const title =
    typeof raw.title === 'string' ? sanitizeText(raw.title, { maxChars: MAX_TITLE_CHARS }) : ''
  const description =
    typeof raw.description === 'string'
      ? sanitizeText(raw.description, { maxChars: limits.maxDescriptionChars, multiline: true })
      : null
  const tool = {
    name,
    title: title || null,
    description,
    inputSchema,
    outputSchema,
    annotations,
    execution,
    ui: uiMetaOf(raw),
  }
  return { ...tool, hash: hashToolDefinition(tool) }
}

/** The cleaned schema, or why it is refused. */
function vetSchema(
  value: unknown,
  field: string,
  limits: DiscoveryLimits,
  checkSchema: SchemaChecker,
): Record<string, unknown> | string {
  if (!isPlainObject(value)) return `${field} is not a JSON object`
  // MCP spec 2025-11-25, server/tools: inputSchema and outputSchema MUST be type "object".
  if (value.type !== 'object') return `${field} must be a JSON Schema with "type": "object"`
  const json = sizedJson(value, field, limits.maxSchemaBytes)
  if (!json.ok) return json.reason
  const problem = checkSchema(value, json.text)
  if (problem) return `${field} is not a valid JSON Schema: ${problem}`
  return cleanStrings(value) as Record<string, unknown>
}

/** Annotations or execution: a JSON object (cleaned), null when absent, or why it is refused. */
function vetMetadata(value: unknown, field: string, limits: DiscoveryLimits) {
  if (value === undefined || value === null) return null
  if (!isPlainObject(value)) return `${field} is not a JSON object`
  const json = sizedJson(value, field, limits.maxSchemaBytes)
  return json.ok ? (cleanStrings(value) as Record<string, unknown>) : json.reason
}

function sizedJson(value: unknown, field: string, maxBytes: number) {
  // Depth first: serializing (and later compiling) a very deep value would blow the stack.
  if (deeperThan(value, MAX_JSON_DEPTH)) {
    return { ok: false as const, reason: `${field} is nested more than ${MAX_JSON_DEPTH} levels` }
  }
  const text = JSON.stringify(value)
  if (Buffer.byteLength(text) > maxBytes) {
    return { ok: false as const, reason: `${field} is larger than ${maxBytes} bytes` }
  }
  return { ok: true as const, text }
}

/**
 * Compiles schemas to prove they are usable, with a memo per distinct schema (by its JSON): the
 * problem in words, or null.
 */
function createSchemaChecker(): SchemaChecker {
  const compile = createSchemaCompiler('prove')
  const memo = new Map<string, string | null>()
  return (schema, json) => {
    const known = memo.get(json)
    if (known !== undefined) return known
    let problem: string | null = null
    try {
      compile(schema)
    } catch (error) {
      problem = sanitizeText(error instanceof Error ? error.message : String(error), {
        maxChars: 160,
      })
    }
    memo.set(json, problem)
    return problem
  }
}

/**
 * sha256 hex over the canonical JSON (keys sorted at every level) of the tool's definition:
 * name, title, description, input and output schema, annotations, execution and the app it
 * names (`ui`, left out when none, so tools without apps keep their hashes). Equal definitions
 * hash equally whatever the key order the server used.
 */
export function hashToolDefinition(tool: Omit<DiscoveredTool, 'hash'>): string {
  const { name, title, description, inputSchema, outputSchema, annotations, execution } = tool
  const definition = {
    name,
    title,
    description,
    inputSchema,
    outputSchema,
    annotations,
    execution,
    ...(tool.ui ? { ui: tool.ui } : {}),
  }
  return createHash('sha256').update(canonicalJson(definition)).digest('hex')
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  if (isPlainObject(value)) {
    const keys = Object.keys(value)
      .filter((key) => value[key] !== undefined)
      .sort()
    return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key])}`).join(',')}}`
  }
  return JSON.stringify(value) ?? 'null'
}

/** A copy with every `title` and `description` string sanitized (what a model reads). */
function cleanStrings(value: unknown, key?: string): unknown {
  if (Array.isArray(value)) return value.map((item) => cleanStrings(item))
  if (isPlainObject(value)) {
    // fromEntries defines own properties: a "__proto__" key stays data, never a prototype.
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, cleanStrings(v, k)]))
  }
  if (typeof value === 'string' && (key === 'title' || key === 'description')) {
    return sanitizeText(value, { multiline: key === 'description' })
  }
  return value
}

function deeperThan(value: unknown, maxDepth: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]]
  while (stack.length > 0) {
    const [item, depth] = stack.pop()!
    if (typeof item !== 'object' || item === null) continue
    if (depth >= maxDepth) return true
    for (const child of Object.values(item)) stack.push([child, depth + 1])
  }
  return false
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
