import type { FileUIPart } from 'ai'
import { useCallback, useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import {
  ATTACHMENTS_PER_MESSAGE_MAX,
  type Attachment,
  type AttachmentKind,
  type AttachmentLimits,
  type AttachmentSource,
  fileSourceMetadata,
  IMAGE_MEDIA_TYPES,
  maxBytesOf,
} from '../../shared/attachments.ts'
import { attachResource, deleteAttachment, uploadAttachment } from '../api/attachments.ts'
import { ApiError } from '../api/client.ts'
import { useErrorMessage } from './use-error-message.ts'
import { useFormatFileSize } from './use-format-file-size.ts'

/** A file on its way into the message being written. */
export interface PendingAttachment {
  key: string
  name: string
  size: number
  /** What it will most likely be (the server decides by its bytes). */
  kind: AttachmentKind
  /** A local picture of an image, shown while it uploads and after. */
  previewUrl: string | null
  status: 'uploading' | 'ready' | 'failed'
  /** 0…1 of the upload sent. */
  progress: number
  attachment?: Attachment
  /** A server's resource (attached with `@`), not a file from this device. */
  source?: AttachmentSource
  /** Why it cannot go with the message, in words for the user. */
  error?: string
}

export interface AttachmentUploads {
  items: readonly PendingAttachment[]
  /** Adds files (picked, pasted or dropped): each is checked here first, then uploaded. */
  add: (files: readonly File[]) => void
  /** Attaches a server's resource: the server reads it now and stores what it says. */
  addResource: (resource: { serverId: string; server: string; uri: string; name: string }) => void
  /** Takes a file off the message (an upload under way stops; a stored one is deleted). */
  remove: (key: string) => void
  /** The message went out with them: forget them (they are the message's now). */
  clear: () => void
  /** The uploaded files as the message's `file` parts. */
  fileParts: () => FileUIPart[]
  uploading: boolean
}

/** Why the server refused a file (`details.reason` of `unsupported_media_type`). */
const REFUSALS = [
  'svg',
  'not_an_image',
  'not_a_pdf',
  'binary',
  'empty',
  'pdf_without_text',
  'pdf_unreadable',
] as const
type Refusal = (typeof REFUSALS)[number]

function isRefusal(reason: unknown): reason is Refusal {
  return (REFUSALS as readonly unknown[]).includes(reason)
}

function guessKind(file: File): AttachmentKind {
  if (file.type.startsWith('image/')) return 'image'
  if (file.type === 'application/pdf' || /\.pdf$/i.test(file.name)) return 'pdf'
  return 'text'
}

let counter = 0

/** The files of the message being written: checked, uploaded with progress, removable. */
export function useAttachmentUploads(limits: AttachmentLimits): AttachmentUploads {
  const { t } = useTranslation()
  const errorMessage = useErrorMessage()
  const formatSize = useFormatFileSize()
  const [items, setItems] = useState<PendingAttachment[]>([])
  const controllers = useRef(new Map<string, AbortController>())
  const previews = useRef(new Set<string>())

  const update = useCallback((key: string, changes: Partial<PendingAttachment>) => {
    setItems((current) =>
      current.map((item) => (item.key === key ? { ...item, ...changes } : item)),
    )
  }, [])

  // Previews are object URLs: give them back when the composer goes.
  useEffect(() => {
    const urls = previews.current
    const uploads = controllers.current
    return () => {
      for (const url of urls) URL.revokeObjectURL(url)
      for (const controller of uploads.values()) controller.abort()
    }
  }, [])

  const tooLarge = (name: string, kind: AttachmentKind, size: number, max: number) =>
    t(`chat.attachments.tooLarge.${kind}`, { name, size: formatSize(size), max: formatSize(max) })

  const describe = (name: string, error: unknown): string => {
    if (error instanceof ApiError) {
      const reason = error.details?.reason
      if (error.code === 'unsupported_media_type' && isRefusal(reason)) {
        return t(`chat.attachments.refused.${reason}`, { name })
      }
      const kind = error.details?.kind
      const max = error.details?.maxBytes
      if (error.code === 'payload_too_large' && typeof max === 'number') {
        const size = typeof error.details?.size === 'number' ? error.details.size : undefined
        const known = kind === 'image' || kind === 'pdf' || kind === 'text' ? kind : null
        if (known && size !== undefined) return tooLarge(name, known, size, max)
        return t('chat.attachments.tooLargeAny', { name, max: formatSize(max) })
      }
    }
    return t('chat.attachments.failed', { name, message: errorMessage(error) })
  }

  const start = (key: string, file: File) => {
    const controller = new AbortController()
    controllers.current.set(key, controller)
    uploadAttachment(file, {
      signal: controller.signal,
      onProgress: (progress) => update(key, { progress }),
    })
      .then((attachment) => update(key, { status: 'ready', progress: 1, attachment }))
      .catch((error: unknown) => {
        if (controller.signal.aborted) return
        update(key, { status: 'failed', error: describe(file.name, error) })
      })
      .finally(() => controllers.current.delete(key))
  }

  const add = (files: readonly File[]) => {
    const room =
      ATTACHMENTS_PER_MESSAGE_MAX - items.filter((item) => item.status !== 'failed').length
    const added: PendingAttachment[] = []
    files.forEach((file, index) => {
      counter += 1
      const kind = guessKind(file)
      const key = `attachment-${counter}`
      const base = {
        key,
        name: file.name || t('chat.attachments.pasted'),
        size: file.size,
        kind,
        progress: 0,
      }
      const max = maxBytesOf(limits, kind)
      const refusal =
        index >= room
          ? t('chat.attachments.tooMany', { name: base.name, count: ATTACHMENTS_PER_MESSAGE_MAX })
          : file.type === 'image/svg+xml'
            ? t('chat.attachments.refused.svg', { name: base.name })
            : kind === 'image' && !(IMAGE_MEDIA_TYPES as readonly string[]).includes(file.type)
              ? t('chat.attachments.refused.not_an_image', { name: base.name })
              : file.size > max
                ? tooLarge(base.name, kind, file.size, max)
                : undefined
      if (refusal) {
        added.push({ ...base, previewUrl: null, status: 'failed', error: refusal })
        return
      }
      const previewUrl = kind === 'image' ? URL.createObjectURL(file) : null
      if (previewUrl) previews.current.add(previewUrl)
      added.push({ ...base, previewUrl, status: 'uploading' })
      start(key, file)
    })
    setItems((current) => [...current, ...added])
  }

  const addResource: AttachmentUploads['addResource'] = ({ serverId, server, uri, name }) => {
    counter += 1
    const key = `attachment-${counter}`
    const room =
      ATTACHMENTS_PER_MESSAGE_MAX - items.filter((item) => item.status !== 'failed').length
    const base = { key, name, size: 0, kind: 'text' as const, previewUrl: null, progress: 0 }
    const source = { server, uri }
    if (room <= 0) {
      const error = t('chat.attachments.tooMany', { name, count: ATTACHMENTS_PER_MESSAGE_MAX })
      setItems((current) => [...current, { ...base, source, status: 'failed', error }])
      return
    }
    setItems((current) => [...current, { ...base, source, status: 'uploading' }])
    const controller = new AbortController()
    controllers.current.set(key, controller)
    attachResource({ serverId, uri, name }, controller.signal)
      .then((attachment) =>
        update(key, {
          status: 'ready',
          progress: 1,
          attachment,
          name: attachment.filename,
          size: attachment.size,
          kind: attachment.kind,
        }),
      )
      .catch((error: unknown) => {
        if (controller.signal.aborted) return
        update(key, { status: 'failed', error: describe(name, error) })
      })
      .finally(() => controllers.current.delete(key))
  }

  const forget = (item: PendingAttachment) => {
    if (item.previewUrl) {
      URL.revokeObjectURL(item.previewUrl)
      previews.current.delete(item.previewUrl)
    }
  }

  const remove = (key: string) => {
    const item = items.find((candidate) => candidate.key === key)
    if (!item) return
    controllers.current.get(key)?.abort()
    // Not sent: nobody needs it (the server sweeps it after a day should this fail).
    if (item.attachment) void deleteAttachment(item.attachment.id).catch(() => {})
    forget(item)
    setItems((current) => current.filter((candidate) => candidate.key !== key))
  }

  const clear = () => {
    for (const item of items) forget(item)
    setItems([])
  }

  const fileParts = (): FileUIPart[] =>
    items.flatMap((item) =>
      item.status === 'ready' && item.attachment
        ? [
            {
              type: 'file',
              mediaType: item.attachment.mediaType,
              filename: item.attachment.filename,
              url: item.attachment.url,
              // Shown with the sent message at once; the server sets it from its own row anyway.
              ...(item.attachment.source
                ? { providerMetadata: fileSourceMetadata(item.attachment.source) }
                : {}),
            },
          ]
        : [],
    )

  return {
    items,
    add,
    addResource,
    remove,
    clear,
    fileParts,
    uploading: items.some((item) => item.status === 'uploading'),
  }
}
