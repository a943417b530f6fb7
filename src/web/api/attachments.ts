import { ATTACHMENTS_PATH, type Attachment, AttachmentSchema } from '../../shared/attachments.ts'
import { ApiError, apiFetch, toApiError } from './client.ts'

/**
 * Uploads a file to attach to a message. XMLHttpRequest, not fetch: only it reports how much of
 * the body has gone out, and a large image takes a while. Rejects with an `ApiError` (the
 * server's refusal: too large, not a file it takes), or an `AbortError` when `signal` aborts.
 */
export function uploadAttachment(
  file: File,
  options: { onProgress?: (fraction: number) => void; signal?: AbortSignal } = {},
): Promise<Attachment> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest()
    request.open('POST', ATTACHMENTS_PATH)
    request.setRequestHeader('Accept', 'application/json')
    request.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0)
        options.onProgress?.(event.loaded / event.total)
    }
    request.onload = () => {
      const response = new Response(request.responseText, {
        status: request.status,
        headers: { 'content-type': request.getResponseHeader('content-type') ?? '' },
      })
      if (!response.ok) {
        void toApiError(response).then(reject)
        return
      }
      const parsed = AttachmentSchema.safeParse(safeJson(request.responseText))
      if (parsed.success) resolve(parsed.data)
      else reject(new ApiError(request.status, 'internal', 'Unexpected reply to the upload.'))
    }
    // A refusal by size before the body is read (413) may end the connection mid-upload.
    request.onerror = () => reject(new ApiError(0, 'unavailable', 'The file could not be sent.'))
    request.onabort = () => reject(new DOMException('The upload was stopped.', 'AbortError'))
    options.signal?.addEventListener('abort', () => request.abort(), { once: true })
    const form = new FormData()
    form.append('file', file)
    request.send(form)
  })
}

/** Reads a server's resource and attaches what it says (the composer's `@`). */
export function attachResource(
  input: { serverId: string; uri: string; name?: string },
  signal?: AbortSignal,
): Promise<Attachment> {
  return apiFetch(`${ATTACHMENTS_PATH}/from-resource`, {
    method: 'POST',
    body: input,
    schema: AttachmentSchema,
    ...(signal ? { signal } : {}),
  })
}

/** Deletes an upload that was not sent (the user took it off the message). */
export function deleteAttachment(id: string): Promise<void> {
  return apiFetch(`${ATTACHMENTS_PATH}/${encodeURIComponent(id)}`, { method: 'DELETE' })
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}
