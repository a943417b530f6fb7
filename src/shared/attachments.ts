import { z } from 'zod'
import { McpResourceReadQuerySchema } from './mcp-resources.ts'

// Attachments: files a user adds to a chat message (images, text files, PDFs). They are uploaded
// first (`POST /api/user/attachments`), then a message names them by URL in its `file` parts:
// `{ type: 'file', mediaType, filename, url: '/api/user/attachments/<id>' }`.

/** Where attachments are uploaded, and (with `/<id>`) served. */
export const ATTACHMENTS_PATH = '/api/user/attachments'

/** At most this many files go with one message. */
export const ATTACHMENTS_PER_MESSAGE_MAX = 10

/** The images a model may be sent (what OpenRouter and OpenAI-compatible endpoints all read). */
export const IMAGE_MEDIA_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'] as const

/** `image`: sent to the model as an image; `text` and `pdf`: as text (a PDF's text is extracted). */
export const AttachmentKindSchema = z.enum(['image', 'text', 'pdf'])
export type AttachmentKind = z.infer<typeof AttachmentKindSchema>

export const AttachmentSourceSchema = z.object({ server: z.string(), uri: z.string() })
export type AttachmentSource = z.infer<typeof AttachmentSourceSchema>

/** `POST /api/user/attachments`: the file stored, not yet part of a message. */
export const AttachmentSchema = z
  .object({
    id: z.uuid(),
    filename: z.string(),
    /** What the content is (checked by its bytes for images and PDFs, not taken from the upload). */
    mediaType: z.string(),
    kind: AttachmentKindSchema,
    /** Bytes. */
    size: z.number().int(),
    /** Where the owner reads it back; put it in the message's `file` part. */
    url: z.string(),
    /** A resource attached from an MCP server: the server's name and the resource's URI. */
    source: AttachmentSourceSchema.nullable(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'Attachment' })
export type Attachment = z.infer<typeof AttachmentSchema>

/** The largest file of each kind the server takes (part of `GET /api/chat/config`). */
export const AttachmentLimitsSchema = z.object({
  maxImageBytes: z.number().int(),
  maxTextBytes: z.number().int(),
  maxPdfBytes: z.number().int(),
})
export type AttachmentLimits = z.infer<typeof AttachmentLimitsSchema>

export const AttachmentIdSchema = z.object({ id: z.uuid() })

const URL_PATTERN =
  /^\/api\/user\/attachments\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i

/** The URL of an attachment, as a message's `file` part carries it. */
export function attachmentUrl(id: string): string {
  return `${ATTACHMENTS_PATH}/${id}`
}

/** The attachment id a `file` part's URL names; null for any other URL (a data: URL, a link). */
export function attachmentIdOf(url: string): string | null {
  return URL_PATTERN.exec(url)?.[1]?.toLowerCase() ?? null
}

/** How a file is handled, by its media type (images other than the four above are not taken). */
export function kindOfMediaType(mediaType: string): AttachmentKind {
  if (mediaType.startsWith('image/')) return 'image'
  if (mediaType === 'application/pdf') return 'pdf'
  return 'text'
}

/** The largest file of this kind the server takes. */
export function maxBytesOf(limits: AttachmentLimits, kind: AttachmentKind): number {
  return kind === 'image'
    ? limits.maxImageBytes
    : kind === 'pdf'
      ? limits.maxPdfBytes
      : limits.maxTextBytes
}

/** `POST /api/user/attachments/from-resource`: a server's resource, read now and attached. */
export const ResourceAttachSchema = z
  .object({
    serverId: z.uuid(),
    uri: McpResourceReadQuerySchema.shape.uri,
    /** The name to show when the URI is no listed resource (one made from a template). */
    name: z.string().trim().min(1).max(200).optional(),
  })
  .strict()
  .meta({ id: 'ResourceAttach' })
export type ResourceAttach = z.infer<typeof ResourceAttachSchema>

/**
 * A sent `file` part that is a resource carries where it came from in its `providerMetadata`
 * (set by the server from the stored attachment, never taken from the client).
 */
export function fileSourceMetadata(source: AttachmentSource): {
  switchboard: { server: string; uri: string }
} {
  return { switchboard: { server: source.server, uri: source.uri } }
}

/** The resource a sent `file` part was read from, or null for a file from the user's device. */
export function fileSourceOf(part: { providerMetadata?: unknown }): AttachmentSource | null {
  const parsed = z.object({ switchboard: AttachmentSourceSchema }).safeParse(part.providerMetadata)
  return parsed.success ? parsed.data.switchboard : null
}
