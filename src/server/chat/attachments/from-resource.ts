/**
 * Attaching a server's resource to a message (the composer's `@`): read once through the user's
 * session, then stored as an attachment like an uploaded file, so it is checked, capped, shown
 * and read by the model the same way, and the message keeps what the resource said when it was
 * sent. The attachment remembers the server and the URI.
 *
 * @module
 */

import type { Attachment } from '../../../shared/attachments.ts'
import type { McpResourceContent } from '../../../shared/mcp-resources.ts'
import { findListedResource } from '../../db/mcp-resources.ts'
import { AppError } from '../../errors.ts'
import { readServerResource } from '../../mcp/servers/resources.ts'
import { type UploadDeps, uploadAttachment } from './upload.ts'

type ReadDeps = Parameters<typeof readServerResource>[0]

export async function attachResource(
  deps: UploadDeps & ReadDeps,
  input: { userId: string; serverId: string; uri: string; name?: string | undefined },
): Promise<Attachment> {
  const { server, contents } = await readServerResource(deps, {
    userId: input.userId,
    serverId: input.serverId,
    uri: input.uri,
  })
  const listed = await findListedResource(deps.db, { serverId: server.id, uri: input.uri })
  const file = fileOf(contents, input.uri)
  return uploadAttachment(deps, {
    userId: input.userId,
    filename: listed?.title || listed?.name || input.name || nameOfUri(input.uri),
    declaredType: file.mediaType,
    bytes: file.bytes,
    source: { server: server.name, uri: input.uri },
  })
}

/**
 * One file of a read's contents: its bytes when it is one blob, else its texts (several parts,
 * as a directory's read may give, each headed by its URI). Bytes and text mixed cannot be one
 * file and are refused.
 */
function fileOf(
  contents: readonly McpResourceContent[],
  uri: string,
): { bytes: Uint8Array; mediaType: string } {
  const [first] = contents
  if (first === undefined) {
    throw new AppError('unsupported_media_type', `the server returned nothing for ${uri}`, {
      details: { reason: 'empty' },
    })
  }
  if (contents.length === 1 && first.blob !== undefined) {
    return {
      bytes: new Uint8Array(Buffer.from(first.blob, 'base64')),
      mediaType: first.mimeType ?? 'application/octet-stream',
    }
  }
  if (contents.some((part) => part.blob !== undefined)) {
    throw new AppError(
      'unsupported_media_type',
      `${uri} is several files with bytes among them: attach them one by one`,
      { details: { reason: 'binary' } },
    )
  }
  const text =
    contents.length === 1
      ? (first.text ?? '')
      : contents.map((part) => `--- ${part.uri} ---\n${part.text ?? ''}`).join('\n\n')
  return {
    bytes: new TextEncoder().encode(text),
    mediaType: contents.length === 1 ? (first.mimeType ?? 'text/plain') : 'text/plain',
  }
}

/** The last segment of the URI's path (`notes.md` of `file:///home/notes.md`), else the URI. */
function nameOfUri(uri: string): string {
  const path = uri.replace(/[?#].*$/, '').replace(/\/+$/, '')
  const last = path.slice(path.lastIndexOf('/') + 1)
  return last && !last.includes(':') ? decodeSafely(last) : uri
}

function decodeSafely(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}
