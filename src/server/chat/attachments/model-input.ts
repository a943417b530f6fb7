import { type AttachmentSource, attachmentIdOf } from '../../../shared/attachments.ts'
import type { Config } from '../../config/config.ts'
import {
  type AttachmentMeta,
  type AttachmentRow,
  listConversationAttachments,
} from '../../db/attachments.ts'
import type { Db } from '../../db/database.ts'
import { sanitizeText } from '../../untrusted-text.ts'
import type { ChatUIMessage, ChatUIPart } from '../ui-messages.ts'
import { decodeUtf8 } from './file-types.ts'

export interface ModelInputDeps {
  db: Db
  config: Pick<Config, 'chat'>
}

/**
 * The messages as the model reads them. Each `file` part naming an attachment becomes:
 * - an image: a `file` part with the bytes as a data URL (both providers send it as an
 *   `image_url` part), or, for a model that reads no images (a file of an earlier message, after
 *   the user switched models), a line saying it was left out;
 * - a text file or PDF: a text part with the file name and its text, cut at
 *   `chat.attachments.maxTextChars` with a note saying so.
 * A resource attached from a server says which server and URI it came from.
 * Other parts (and files given by other URLs, as older messages may hold) pass unchanged.
 */
export async function modelInputOf(
  deps: ModelInputDeps,
  input: { userId: string; conversationId: string; messages: ChatUIMessage[]; images: boolean },
): Promise<ChatUIMessage[]> {
  const ids = input.messages.flatMap((message) =>
    message.parts.flatMap((part) => {
      const id = part.type === 'file' ? attachmentIdOf(part.url) : null
      return id ? [id] : []
    }),
  )
  if (ids.length === 0) return input.messages
  const rows = await listConversationAttachments(deps.db, {
    userId: input.userId,
    conversationId: input.conversationId,
    ids: [...new Set(ids)],
  })
  const byId = new Map(rows.map((row) => [row.id, row]))
  const maxChars = deps.config.chat.attachments.maxTextChars
  return input.messages.map((message) => ({
    ...message,
    parts: message.parts.map((part) => {
      const id = part.type === 'file' ? attachmentIdOf(part.url) : null
      if (id === null || part.type !== 'file') return part
      return partFor(byId.get(id), part.filename, { images: input.images, maxChars })
    }),
  }))
}

function partFor(
  row: AttachmentRow | undefined,
  shownName: string | undefined,
  options: { images: boolean; maxChars: number },
): ChatUIPart {
  const name = attributeText(row?.filename ?? shownName ?? 'file')
  if (!row) return { type: 'text', text: `[The attached file "${name}" is no longer available.]` }
  const source = sourceOfRow(row)
  if (row.kind === 'image') {
    if (!options.images) {
      return {
        type: 'text',
        text: `[The image "${name}" is left out: the model in use cannot read images.]`,
      }
    }
    const data = Buffer.from(row.content).toString('base64')
    return {
      type: 'file',
      mediaType: row.media_type,
      filename: row.filename,
      url: `data:${row.media_type};base64,${data}`,
    }
  }
  const raw = row.kind === 'pdf' ? (row.extracted_text ?? '') : (decodeUtf8(row.content) ?? '')
  return { type: 'text', text: fileText(name, row.media_type, raw, options.maxChars, source) }
}

/** Where an attachment came from, when it is a resource read from a server. */
export function sourceOfRow(row: AttachmentMeta): AttachmentSource | null {
  return row.source_server !== null && row.source_uri !== null
    ? { server: row.source_server, uri: row.source_uri }
    : null
}

/** The file's text for the model, named, cut at `maxChars` with a note saying where and why. */
export function fileText(
  name: string,
  mediaType: string,
  raw: string,
  maxChars: number,
  source: AttachmentSource | null = null,
): string {
  const text = sanitizeText(raw, { multiline: true })
  const chars = Array.from(text)
  const cut = chars.length > maxChars
  const shown = cut ? chars.slice(0, maxChars).join('') : text
  const note = cut
    ? `\n[The file is cut here: it has ${chars.length} characters, the first ${maxChars} are shown.]`
    : ''
  const from = source
    ? ` server="${attributeText(source.server)}" uri="${attributeText(source.uri)}"`
    : ''
  return `<attachment name="${name}" type="${mediaType}"${from}>\n${shown}${note}\n</attachment>`
}

/** A name safe inside the attribute quotes of the wrapper above. */
function attributeText(name: string): string {
  return sanitizeText(name, { maxChars: 200 }).replace(/["<>]/g, "'")
}
