import { createHash } from 'node:crypto'
import {
  type Attachment,
  type AttachmentKind,
  attachmentUrl,
  maxBytesOf,
} from '../../../shared/attachments.ts'
import type { Config } from '../../config/config.ts'
import {
  type AttachmentMeta,
  type AttachmentRow,
  deleteStaleUnsentAttachments,
  deleteUnsentAttachment,
  findAttachmentContent,
  insertAttachment,
} from '../../db/attachments.ts'
import type { Db } from '../../db/database.ts'
import { AppError, NotFoundError } from '../../errors.ts'
import type { Logger } from '../../log.ts'
import { sanitizeText } from '../../untrusted-text.ts'
import { classifyFile } from './file-types.ts'
import { PdfReadError, readPdfText } from './pdf-text.ts'

/** Uploaded and never sent: deleted this long after the upload. */
const UNSENT_KEPT_MS = 24 * 60 * 60 * 1000
const FILENAME_MAX = 200

export interface UploadDeps {
  db: Db
  config: Pick<Config, 'chat'>
  now: () => Date
  log: Logger
}

/** The largest upload the server reads at all (the largest cap of any kind). */
export function maxUploadBytes(config: Pick<Config, 'chat'>): number {
  const { maxImageBytes, maxTextBytes, maxPdfBytes } = config.chat.attachments
  return Math.max(maxImageBytes, maxTextBytes, maxPdfBytes)
}

/**
 * Stores a file a user attaches to a message: checked by its bytes (`classifyFile`), capped by
 * its kind (`payload_too_large`, 413, with `details.maxBytes` and `details.kind`), a PDF's text
 * read once now (a PDF without text is refused: the model would get nothing). The file belongs
 * to no conversation until a message names it; files never sent are swept after a day.
 */
export async function uploadAttachment(
  deps: UploadDeps,
  input: {
    userId: string
    filename: string
    declaredType: string
    bytes: Uint8Array
    /** A resource read from a server (`attachResource`), not a file from the user's device. */
    source?: { server: string; uri: string }
  },
): Promise<Attachment> {
  const filename = cleanFilename(input.filename)
  const type = classifyFile({ bytes: input.bytes, declaredType: input.declaredType, filename })
  const maxBytes = maxBytesOf(deps.config.chat.attachments, type.kind)
  if (input.bytes.byteLength > maxBytes) throw tooLarge(type.kind, input.bytes.byteLength, maxBytes)
  const extractedText = type.kind === 'pdf' ? await pdfText(input.bytes) : null
  const now = deps.now()
  const row = await insertAttachment(deps.db, {
    userId: input.userId,
    filename: filename || defaultName(type.mediaType),
    mediaType: type.mediaType,
    kind: type.kind,
    content: input.bytes,
    sha256: createHash('sha256').update(input.bytes).digest('hex'),
    extractedText,
    ...(input.source ? { source: input.source } : {}),
    at: now,
  })
  const swept = await deleteStaleUnsentAttachments(deps.db, {
    userId: input.userId,
    before: new Date(now.getTime() - UNSENT_KEPT_MS),
  })
  if (swept > 0) deps.log.debug({ userId: input.userId, swept }, 'unsent attachments deleted')
  return toAttachmentView(row)
}

/** The caller's attachment with its bytes; `not_found` for anyone else's. */
export async function readAttachment(
  deps: Pick<UploadDeps, 'db'>,
  input: { userId: string; id: string },
): Promise<AttachmentRow> {
  const row = await findAttachmentContent(deps.db, input)
  if (!row) throw new NotFoundError('attachment')
  return row
}

/** Deletes an attachment not sent yet (sent ones go with their conversation). */
export async function deleteAttachment(
  deps: Pick<UploadDeps, 'db'>,
  input: { userId: string; id: string },
): Promise<void> {
  if (!(await deleteUnsentAttachment(deps.db, input))) throw new NotFoundError('unsent attachment')
}

export function toAttachmentView(row: AttachmentMeta): Attachment {
  return {
    id: row.id,
    filename: row.filename,
    mediaType: row.media_type,
    kind: row.kind,
    size: row.size,
    url: attachmentUrl(row.id),
    source:
      row.source_server !== null && row.source_uri !== null
        ? { server: row.source_server, uri: row.source_uri }
        : null,
    createdAt: row.created_at.toISOString(),
  }
}

/** The page texts joined, control characters gone; refused when there is none to read. */
async function pdfText(bytes: Uint8Array): Promise<string> {
  let pages: string[]
  try {
    pages = (await readPdfText(bytes)).text
  } catch (error) {
    if (!(error instanceof PdfReadError)) throw error
    throw new AppError(
      'unsupported_media_type',
      `this PDF could not be read (${error.message}): save it again, or attach its text`,
      { details: { reason: 'pdf_unreadable' }, cause: error },
    )
  }
  const text = pages
    .map((page, index) => `[page ${index + 1}]\n${sanitizeText(page, { multiline: true })}`)
    .join('\n\n')
  if (pages.every((page) => sanitizeText(page) === '')) {
    throw new AppError(
      'unsupported_media_type',
      'this PDF holds no text to read (scanned pages are pictures): attach the pages as images',
      { details: { reason: 'pdf_without_text' } },
    )
  }
  return text
}

function tooLarge(kind: AttachmentKind, size: number, maxBytes: number): AppError {
  const what = kind === 'image' ? 'an image' : kind === 'pdf' ? 'a PDF' : 'a text file'
  return new AppError(
    'payload_too_large',
    `this file is ${megabytes(size)}: ${what} can be at most ${megabytes(maxBytes)}`,
    { details: { maxBytes, kind, size } },
  )
}

function megabytes(bytes: number): string {
  return bytes >= 1024 * 1024
    ? `${(bytes / 1024 / 1024).toFixed(1)} MB`
    : `${Math.ceil(bytes / 1024)} KB`
}

/** The name as shown: no folders, no control or invisible characters, not too long. */
function cleanFilename(name: string): string {
  const base = name.split(/[\\/]/).at(-1) ?? ''
  return sanitizeText(base, { maxChars: FILENAME_MAX })
}

function defaultName(mediaType: string): string {
  const extension = mediaType.startsWith('image/')
    ? mediaType.slice('image/'.length)
    : mediaType === 'application/pdf'
      ? 'pdf'
      : 'txt'
  return `attachment.${extension === 'jpeg' ? 'jpg' : extension}`
}
