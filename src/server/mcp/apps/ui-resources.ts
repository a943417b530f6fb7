/**
 * MCP Apps (`io.modelcontextprotocol/ui`, spec 2026-01-26): which tools declare a UI resource,
 * and reading those `ui://` resources when the tools are listed, so the app is cached with the
 * tool and a changed app counts as a changed tool (tool-cache.ts).
 *
 * @module
 */
import { createHash } from 'node:crypto'
import {
  getToolUiResourceUri,
  McpUiResourceMetaSchema,
  McpUiToolMetaSchema,
  RESOURCE_MIME_TYPE,
} from '@modelcontextprotocol/ext-apps/app-bridge'
import type { ToolUiMeta } from '../../db/schema.ts'
import type { McpConnection } from '../client/connect.ts'

/** The largest app kept: bundled single-file apps run to a few hundred KB. */
export const MAX_UI_RESOURCE_BYTES = 2 * 1024 * 1024

/** What discovery read of one UI resource. */
export interface UiResource {
  uri: string
  html: string
  /** The content's `_meta.ui` (csp, permissions, domain, prefersBorder), validated. */
  meta: Record<string, unknown> | null
  /** sha256 over the HTML and its meta: what "changed" compares. */
  hash: string
}

/** The tool's `_meta.ui`, when it names a `ui://` resource; else null. */
export function uiMetaOf(raw: Record<string, unknown>): ToolUiMeta | null {
  let resourceUri: string | undefined
  try {
    resourceUri = getToolUiResourceUri(raw)
  } catch {
    // The SDK throws on a resourceUri that is not `ui://`: no app, the tool still counts.
    return null
  }
  if (!resourceUri || resourceUri.length > 2048) return null
  const meta = raw._meta as Record<string, unknown> | undefined
  const parsed = McpUiToolMetaSchema.safeParse(meta?.ui)
  const visibility = parsed.success ? parsed.data.visibility : undefined
  return { resourceUri, ...(visibility ? { visibility } : {}) }
}

/**
 * Reads each distinct URI once. A resource that cannot be read, is not an MCP App's HTML or is
 * larger than `MAX_UI_RESOURCE_BYTES` is left out, with the reason in `failed`: the tools stay,
 * and the app shows again once a later listing reads it.
 */
export async function readUiResources(
  connection: McpConnection,
  uris: string[],
  options: { signal?: AbortSignal; timeoutMs: number },
): Promise<{ resources: Map<string, UiResource>; failed: { uri: string; reason: string }[] }> {
  const resources = new Map<string, UiResource>()
  const failed: { uri: string; reason: string }[] = []
  for (const uri of new Set(uris)) {
    try {
      const result = await connection.client.readResource(
        { uri },
        { timeout: options.timeoutMs, ...(options.signal ? { signal: options.signal } : {}) },
      )
      const read = toUiResource(uri, result.contents)
      if (typeof read === 'string') failed.push({ uri, reason: read })
      else resources.set(uri, read)
    } catch (error) {
      failed.push({ uri, reason: error instanceof Error ? error.message : String(error) })
    }
  }
  return { resources, failed }
}

/** The HTML content of a `resources/read` answer as a `UiResource`, or why it is refused. */
export function toUiResource(
  uri: string,
  contents: Array<{
    uri: string
    mimeType?: string
    text?: string
    blob?: string
    _meta?: unknown
  }>,
): UiResource | string {
  const part = contents.find((c) => c.uri === uri) ?? contents[0]
  if (!part) return 'the server returned no content'
  if (part.mimeType && part.mimeType !== RESOURCE_MIME_TYPE) {
    return `the content is ${part.mimeType.slice(0, 100)}, not ${RESOURCE_MIME_TYPE}`
  }
  const html =
    typeof part.text === 'string'
      ? part.text
      : typeof part.blob === 'string'
        ? Buffer.from(part.blob, 'base64').toString('utf8')
        : ''
  if (!html) return 'the content is empty'
  const bytes = Buffer.byteLength(html)
  if (bytes > MAX_UI_RESOURCE_BYTES) {
    return `the app is ${bytes} bytes; the limit is ${MAX_UI_RESOURCE_BYTES}`
  }
  const rawMeta = (part._meta as Record<string, unknown> | undefined)?.ui
  const parsed = McpUiResourceMetaSchema.safeParse(rawMeta ?? {})
  const meta = parsed.success && rawMeta ? (parsed.data as Record<string, unknown>) : null
  const hash = createHash('sha256')
    .update(html)
    .update('\0')
    .update(JSON.stringify(meta))
    .digest('hex')
  return { uri, html, meta, hash }
}
