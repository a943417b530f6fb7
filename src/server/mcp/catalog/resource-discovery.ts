/**
 * Resource discovery: walks every `resources/list` and `resources/templates/list` page of a
 * connected server and keeps what is safe to show and store: text cleaned of control and
 * invisible characters, lengths capped, entries without a usable URI skipped with a reason, at
 * most `maxResources` of each kind.
 *
 * @module
 */
import { createHash } from 'node:crypto'
import { MAX_RESOURCE_URI_CHARS } from '../../../shared/mcp-resources.ts'
import { sanitizeText } from '../../untrusted-text.ts'
import type { McpConnection } from '../client/connect.ts'
import { type ListStopReason, listPages } from './list-pages.ts'

export interface ResourceLimits {
  /** Resources kept per server, and templates (default 1000 each); more sets `truncated`. */
  maxResources: number
  maxDescriptionChars: number
  /** Annotations, as JSON bytes. */
  maxAnnotationBytes: number
  /** Each listing, every page included. */
  timeoutMs: number
  signal: AbortSignal
}

export interface DiscoveredResource {
  kind: 'resource' | 'template'
  /** The resource's URI, or the template's RFC 6570 `uriTemplate`. */
  uri: string
  name: string
  title: string | null
  description: string | null
  mimeType: string | null
  /** Bytes, as the server declares them (resources only). */
  size: number | null
  annotations: Record<string, unknown> | null
}

export interface ResourceListing {
  resources: DiscoveredResource[]
  templates: DiscoveredResource[]
  skipped: { uri: string; reason: string }[]
  truncated: boolean
  /** sha256 over the listing: unchanged, nothing to write. */
  hash: string
}

const MAX_NAME_CHARS = 200
const MAX_MIME_CHARS = 200
// `scheme:` then anything without whitespace or control characters (RFC 3986 §3.1).
const URI = /^[A-Za-z][A-Za-z0-9+.-]*:[^\s\p{Cc}]+$/u
const MIME_TYPE = /^[\w.+-]+\/[\w.+-]+(?:\s*;.*)?$/

/** Every resource and template the server lists; none when it has no resources capability. */
export async function discoverResources(
  connection: McpConnection,
  limits: ResourceLimits,
): Promise<ResourceListing> {
  if (!connection.client.getServerCapabilities()?.resources) return listingOf([], [], [], false)
  const skipped: ResourceListing['skipped'] = []
  const resources = await listKind(connection, 'resource', limits, skipped)
  const templates = await listKind(connection, 'template', limits, skipped).catch((error) => {
    // Templates came later to the spec: a server may list resources and not know the method.
    if (isMethodNotFound(error)) return { kept: [], stopReason: undefined }
    throw error
  })
  const truncated = resources.stopReason !== undefined || templates.stopReason !== undefined
  return listingOf(resources.kept, templates.kept, skipped, truncated)
}

async function listKind(
  connection: McpConnection,
  kind: DiscoveredResource['kind'],
  limits: ResourceLimits,
  skipped: ResourceListing['skipped'],
): Promise<{ kept: DiscoveredResource[]; stopReason: ListStopReason | undefined }> {
  const kept: DiscoveredResource[] = []
  const seen = new Set<string>()
  const listing = await listPages(connection, {
    method: kind === 'resource' ? 'resources/list' : 'resources/templates/list',
    key: kind === 'resource' ? 'resources' : 'resourceTemplates',
    add: (raw) => {
      const entry = toDiscovered(raw, kind, limits)
      if ('reason' in entry) skipped.push(entry)
      else if (seen.has(entry.uri)) {
        skipped.push({ uri: entry.uri, reason: 'listed twice: the first one is kept' })
      } else if (kept.length >= limits.maxResources) return false
      else {
        seen.add(entry.uri)
        kept.push(entry)
      }
      return true
    },
    maxPages: limits.maxResources + 1,
    maxEntries: limits.maxResources * 2 + 100,
    timeoutMs: limits.timeoutMs,
    signal: limits.signal,
  })
  return { kept, stopReason: listing.stopReason }
}

function toDiscovered(
  raw: unknown,
  kind: DiscoveredResource['kind'],
  limits: ResourceLimits,
): DiscoveredResource | { uri: string; reason: string } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { uri: '(not an object)', reason: `not a ${kind} object` }
  }
  const entry = raw as Record<string, unknown>
  const uri = kind === 'resource' ? entry.uri : entry.uriTemplate
  const field = kind === 'resource' ? 'uri' : 'uriTemplate'
  if (typeof uri !== 'string' || uri.length > MAX_RESOURCE_URI_CHARS || !URI.test(uri)) {
    const shown = typeof uri === 'string' ? sanitizeText(uri, { maxChars: 200 }) : ''
    const reason = `invalid ${field}: a URI with a scheme, at most ${MAX_RESOURCE_URI_CHARS} characters`
    return { uri: shown || `(no ${field})`, reason }
  }
  const text = (value: unknown, maxChars: number, multiline = false) =>
    typeof value === 'string' ? sanitizeText(value, { maxChars, multiline }) || null : null
  const mimeType = text(entry.mimeType, MAX_MIME_CHARS)
  const size = entry.size
  return {
    kind,
    uri,
    // The spec requires a name; a server that leaves it out still gets its entry shown.
    name: text(entry.name, MAX_NAME_CHARS) ?? sanitizeText(uri, { maxChars: MAX_NAME_CHARS }),
    title: text(entry.title, MAX_NAME_CHARS),
    description: text(entry.description, limits.maxDescriptionChars, true),
    mimeType: mimeType && MIME_TYPE.test(mimeType) ? mimeType : null,
    size:
      kind === 'resource' && typeof size === 'number' && Number.isSafeInteger(size) && size >= 0
        ? size
        : null,
    annotations: annotationsOf(entry.annotations, limits.maxAnnotationBytes),
  }
}

/** The annotations the spec defines (audience, priority, lastModified), if well formed. */
function annotationsOf(value: unknown, maxBytes: number): Record<string, unknown> | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null
  const { audience, priority, lastModified } = value as Record<string, unknown>
  const kept: Record<string, unknown> = {}
  if (Array.isArray(audience)) {
    const roles = audience.filter((role) => role === 'user' || role === 'assistant')
    if (roles.length > 0) kept.audience = [...new Set(roles)]
  }
  if (typeof priority === 'number' && priority >= 0 && priority <= 1) kept.priority = priority
  if (typeof lastModified === 'string' && !Number.isNaN(Date.parse(lastModified))) {
    kept.lastModified = lastModified.slice(0, 64)
  }
  if (Object.keys(kept).length === 0) return null
  return Buffer.byteLength(JSON.stringify(kept)) <= maxBytes ? kept : null
}

function listingOf(
  resources: DiscoveredResource[],
  templates: DiscoveredResource[],
  skipped: ResourceListing['skipped'],
  truncated: boolean,
): ResourceListing {
  const hash = createHash('sha256')
    .update(JSON.stringify([resources, templates]))
    .digest('hex')
  return { resources, templates, skipped, truncated, hash }
}

function isMethodNotFound(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === -32601
}
