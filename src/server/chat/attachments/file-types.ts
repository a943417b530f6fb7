import type { AttachmentKind } from '../../../shared/attachments.ts'
import { AppError } from '../../errors.ts'

// What an uploaded file is, decided by its bytes: the browser's type and the file name are only
// hints (a renamed file, or a script posing as an image, must not pass as what it claims).

export interface FileType {
  kind: AttachmentKind
  /** The type stored and served: the sniffed one for images and PDFs. */
  mediaType: string
}

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]
const JPEG = [0xff, 0xd8, 0xff]

function startsWith(bytes: Uint8Array, prefix: readonly number[], at = 0): boolean {
  return prefix.every((byte, index) => bytes[at + index] === byte)
}

function ascii(text: string): number[] {
  return Array.from(text, (char) => char.charCodeAt(0))
}

/**
 * The image type the bytes start with (PNG, JPEG, GIF, WebP: what the model providers read),
 * or null. Magic numbers from the WHATWG MIME Sniffing standard, section 6.1.
 *
 * @see https://mimesniff.spec.whatwg.org/#matching-an-image-type-pattern
 */
export function sniffImage(bytes: Uint8Array): string | null {
  if (startsWith(bytes, PNG)) return 'image/png'
  if (startsWith(bytes, JPEG)) return 'image/jpeg'
  if (startsWith(bytes, ascii('GIF87a')) || startsWith(bytes, ascii('GIF89a'))) return 'image/gif'
  if (startsWith(bytes, ascii('RIFF')) && startsWith(bytes, ascii('WEBPVP'), 8)) return 'image/webp'
  return null
}

/** A PDF: `%PDF-` within the first KiB (readers allow a little junk before it). */
export function isPdf(bytes: Uint8Array): boolean {
  const head = Buffer.from(bytes.subarray(0, 1024)).toString('latin1')
  return head.includes('%PDF-')
}

/** The text of UTF-8 bytes (a byte order mark dropped), or null for anything else or binary. */
export function decodeUtf8(bytes: Uint8Array): string | null {
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes)
  } catch {
    return null
  }
  // Valid UTF-8 can still be binary (all-ASCII bytes with NULs): text files hold no NUL.
  return text.includes('\u0000') ? null : text
}

// Text types kept as the upload names them; anything else that is UTF-8 text is named by its
// extension, or becomes text/plain. (How a text file is served does not depend on it: always
// as text/plain, as a download.)
const TEXT_TYPES = /^(text\/[\w.+-]+|application\/([\w.-]+\+)?(json|xml|yaml|toml|javascript|sql))$/
const BY_EXTENSION: Record<string, string> = {
  md: 'text/markdown',
  markdown: 'text/markdown',
  csv: 'text/csv',
  tsv: 'text/tab-separated-values',
  json: 'application/json',
  xml: 'application/xml',
  yaml: 'application/yaml',
  yml: 'application/yaml',
  toml: 'application/toml',
  html: 'text/html',
  htm: 'text/html',
  css: 'text/css',
  js: 'text/javascript',
  mjs: 'text/javascript',
  sql: 'application/sql',
}

function extensionOf(filename: string): string {
  const dot = filename.lastIndexOf('.')
  return dot < 0 ? '' : filename.slice(dot + 1).toLowerCase()
}

function baseType(declared: string): string {
  return (declared.split(';')[0] ?? '').trim().toLowerCase()
}

function refuse(message: string, reason: string): AppError {
  return new AppError('unsupported_media_type', message, { details: { reason } })
}

const ACCEPTED =
  'attach images (PNG, JPEG, GIF, WebP), PDFs, or text files (UTF-8: notes, Markdown, CSV, JSON, source code)'

/**
 * What the upload is, by its bytes. Throws `unsupported_media_type` (415) for SVG (an image that
 * can carry scripts), an image type the models do not read, bytes that are not what the type
 * says (an "image" that is no image), and binary files that are neither image nor PDF.
 */
export function classifyFile(input: {
  bytes: Uint8Array
  declaredType: string
  filename: string
}): FileType {
  const declared = baseType(input.declaredType)
  const extension = extensionOf(input.filename)
  if (input.bytes.byteLength === 0)
    throw refuse('the file is empty: attach one with content', 'empty')
  if (declared === 'image/svg+xml' || extension === 'svg' || extension === 'svgz') {
    throw refuse(
      'SVG images cannot be attached (they can carry scripts): convert it to PNG first',
      'svg',
    )
  }
  const image = sniffImage(input.bytes)
  if (image) return { kind: 'image', mediaType: image }
  if (declared.startsWith('image/')) {
    throw refuse(
      `this is not a PNG, JPEG, GIF or WebP image (its content is not what "${declared}" says): ${ACCEPTED}`,
      'not_an_image',
    )
  }
  if (isPdf(input.bytes)) return { kind: 'pdf', mediaType: 'application/pdf' }
  if (declared === 'application/pdf' || extension === 'pdf') {
    throw refuse('this is not a PDF (its content does not start like one)', 'not_a_pdf')
  }
  if (decodeUtf8(input.bytes) === null)
    throw refuse(`this file is neither text nor an image: ${ACCEPTED}`, 'binary')
  const mediaType = TEXT_TYPES.test(declared) ? declared : (BY_EXTENSION[extension] ?? 'text/plain')
  return { kind: 'text', mediaType }
}
