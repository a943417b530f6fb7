import { createRoute, z } from '@hono/zod-openapi'
import {
  AttachmentIdSchema,
  AttachmentSchema,
  ResourceAttachSchema,
} from '../../shared/attachments.ts'
import { requireUser } from '../auth/require-user.ts'
import { attachResource } from '../chat/attachments/from-resource.ts'
import { deleteAttachment, readAttachment, uploadAttachment } from '../chat/attachments/upload.ts'
import type { AttachmentRow } from '../db/attachments.ts'
import { ValidationError } from '../errors.ts'
import { createRouter, errorResponses, json, USER_SECURITY } from './router.ts'

const tags = ['Attachments']
const security = USER_SECURITY

const UploadSchema = z.object({
  file: z
    .custom<File>((value) => value instanceof File, 'attach the file in the field `file`')
    .openapi({ type: 'string', format: 'binary' }),
})

// What the browser may do with a file served from our origin: show an image, nothing else. An
// uploaded file must never run as a page of ours (a script in an HTML or SVG file would have the
// user's session): no scripts, a sandbox (an opaque origin), and only images served inline.
const SERVED_POLICY = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"

/** `/api/user/attachments`: files for chat messages, uploaded before the message is sent. */
export const attachmentRoutes = createRouter()
attachmentRoutes.use('*', requireUser())
attachmentRoutes
  .openapi(
    createRoute({
      method: 'post',
      path: '/',
      tags,
      security,
      summary: 'Upload a file to attach to a chat message',
      description:
        'Multipart form data with the file in the field `file` (`curl -F file=@photo.png`). ' +
        'Images (PNG, JPEG, GIF, WebP: checked by their bytes), PDFs (their text is what the ' +
        'model reads) and UTF-8 text files are taken, up to the sizes in `chat.attachments` ' +
        '(`GET /api/chat/config` tells them). Then send a message with a `file` part whose ' +
        '`url` is the reply’s `url`. A file not sent within a day is deleted.',
      request: {
        body: { content: { 'multipart/form-data': { schema: UploadSchema } }, required: true },
      },
      responses: {
        201: json(AttachmentSchema, 'Stored'),
        ...errorResponses(400, 401, 413, 415),
      },
    }),
    async (c) => {
      const file = (c.req.valid('form') as { file?: unknown }).file
      if (!(file instanceof File)) {
        throw new ValidationError([
          { field: 'file', message: 'send the file as multipart/form-data in the field `file`' },
        ])
      }
      const attachment = await uploadAttachment(c.var.deps, {
        userId: c.var.user.id,
        filename: file.name,
        declaredType: file.type,
        bytes: new Uint8Array(await file.arrayBuffer()),
      })
      return c.json(attachment, 201)
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/from-resource',
      tags,
      security,
      summary: "Attach a resource of one of the user's MCP servers",
      description:
        'Reads the resource now (`resources/read`, through the user’s session; it counts ' +
        'against the tool-call rate limits) and stores what it said as an attachment, checked ' +
        'and capped like an upload; send it as a `file` part like any other. Any URI the ' +
        'server answers for: a listed resource, or one made from a template.',
      request: {
        body: { content: { 'application/json': { schema: ResourceAttachSchema } }, required: true },
      },
      responses: {
        201: json(AttachmentSchema, 'Read and stored'),
        ...errorResponses(400, 401, 404, 409, 413, 415, 422, 429, 502, 504),
      },
    }),
    async (c) => {
      const attachment = await attachResource(c.var.deps, {
        userId: c.var.user.id,
        ...c.req.valid('json'),
      })
      return c.json(attachment, 201)
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/{id}',
      tags,
      security,
      summary: 'The bytes of an attachment (its owner only)',
      description:
        'Images are served inline as what their bytes are; text files as `text/plain` and PDFs ' +
        'as downloads. Never run as a page: `Content-Security-Policy: sandbox`, `nosniff`.',
      request: { params: AttachmentIdSchema },
      responses: {
        200: {
          description: 'The file',
          content: { 'application/octet-stream': { schema: z.string() } },
        },
        ...errorResponses(401, 404),
      },
    }),
    async (c) => {
      const row = await readAttachment(c.var.deps, {
        userId: c.var.user.id,
        id: c.req.valid('param').id,
      })
      return c.body(new Uint8Array(row.content), 200, servedHeaders(row))
    },
  )
  .openapi(
    createRoute({
      method: 'delete',
      path: '/{id}',
      tags,
      security,
      summary: 'Delete an attachment not sent yet (sent ones go with their conversation)',
      request: { params: AttachmentIdSchema },
      responses: { 204: { description: 'Deleted' }, ...errorResponses(401, 404) },
    }),
    async (c) => {
      await deleteAttachment(c.var.deps, { userId: c.var.user.id, id: c.req.valid('param').id })
      return c.body(null, 204)
    },
  )

function servedHeaders(row: AttachmentRow): Record<string, string> {
  const inline = row.kind === 'image'
  return {
    'content-type':
      row.kind === 'image'
        ? row.media_type
        : row.kind === 'pdf'
          ? 'application/pdf'
          : 'text/plain; charset=utf-8',
    'content-length': String(row.content.byteLength),
    'content-disposition': contentDisposition(inline ? 'inline' : 'attachment', row.filename),
    'content-security-policy': SERVED_POLICY,
    'x-content-type-options': 'nosniff',
    // An id always names the same bytes; only its owner may read it.
    'cache-control': 'private, max-age=31536000, immutable',
    etag: `"${row.sha256}"`,
  }
}

/** RFC 6266: an ASCII name for old clients, the real one percent-encoded (RFC 8187). */
function contentDisposition(type: 'inline' | 'attachment', filename: string): string {
  const fallback = filename.replace(/[^\x20-\x7e]|["\\%]/g, '_')
  const encoded = encodeURIComponent(filename).replace(
    /['()*]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  )
  return `${type}; filename="${fallback}"; filename*=UTF-8''${encoded}`
}
