import { CircleAlert, FileText, Paperclip, X } from 'lucide-react'
import { useRef } from 'react'
import { useTranslation } from 'react-i18next'
import { attachmentIdOf, fileSourceOf } from '../../shared/attachments.ts'
import type { ChatUIPart } from '../api/chat.ts'
import type { PendingAttachment } from '../hooks/use-attachment-uploads.ts'
import { useFormatFileSize } from '../hooks/use-format-file-size.ts'
import { ProgressBar } from './progress-bar.tsx'
import { Button } from './ui/button.tsx'
import { cn } from './ui/cn.ts'

/** The paperclip: picks files from the device (any kind: the server says what it takes). */
export function AttachButton({
  disabled,
  onFiles,
}: {
  disabled?: boolean
  onFiles: (files: File[]) => void
}) {
  const { t } = useTranslation()
  const input = useRef<HTMLInputElement>(null)
  return (
    <>
      <Button
        type="button"
        size="icon"
        variant="ghost"
        className="size-8"
        disabled={disabled}
        aria-label={t('chat.attachments.attach')}
        title={t('chat.attachments.attachHint')}
        onClick={() => input.current?.click()}
      >
        <Paperclip aria-hidden="true" />
      </Button>
      <input
        ref={input}
        type="file"
        multiple
        hidden
        tabIndex={-1}
        aria-hidden="true"
        data-attach-input=""
        onChange={(event) => {
          const files = Array.from(event.target.files ?? [])
          // Picking the same file again must fire a change: empty the input each time.
          event.target.value = ''
          if (files.length > 0) onFiles(files)
        }}
      />
    </>
  )
}

/** The files of the message being written: thumbnails and chips, each with a remove button. */
export function ComposerAttachments({
  items,
  onRemove,
}: {
  items: readonly PendingAttachment[]
  onRemove: (key: string) => void
}) {
  const { t } = useTranslation()
  if (items.length === 0) return null
  return (
    <ul aria-label={t('chat.attachments.listLabel')} className="flex flex-wrap gap-2 px-1 pt-1">
      {items.map((item) => (
        <li key={item.key} data-attachment={item.status}>
          <PendingItem item={item} onRemove={() => onRemove(item.key)} />
        </li>
      ))}
    </ul>
  )
}

function PendingItem({ item, onRemove }: { item: PendingAttachment; onRemove: () => void }) {
  const { t } = useTranslation()
  const formatSize = useFormatFileSize()
  const remove = (
    <button
      type="button"
      onClick={onRemove}
      aria-label={t('chat.attachments.remove', { name: item.name })}
      title={t('chat.attachments.remove', { name: item.name })}
      className="flex size-6 shrink-0 cursor-pointer items-center justify-center rounded-full text-muted-foreground hover:bg-accent hover:text-foreground focus-visible:ring-2 focus-visible:ring-ring focus-visible:outline-none"
    >
      <X className="size-3.5" aria-hidden="true" />
    </button>
  )
  const progress =
    item.status === 'uploading' ? (
      <ProgressBar
        label={t('chat.attachments.uploading', { name: item.name })}
        value={Math.round(item.progress * 100)}
        total={100}
        className="h-1"
      />
    ) : null
  if (item.status === 'failed') {
    return (
      <div
        role="alert"
        className="flex max-w-80 items-start gap-2 rounded-lg border border-destructive/50 bg-destructive/5 py-1.5 pr-1 pl-2.5 text-xs text-destructive"
      >
        <CircleAlert className="mt-0.5 size-3.5 shrink-0" aria-hidden="true" />
        <p className="min-w-0 flex-1 break-words">{item.error}</p>
        {remove}
      </div>
    )
  }
  if (item.previewUrl) {
    return (
      <div className="relative flex w-20 flex-col gap-1">
        <img
          src={item.previewUrl}
          alt={item.name}
          className={cn(
            'size-20 rounded-lg border object-cover',
            item.status === 'uploading' && 'opacity-60',
          )}
        />
        <span className="absolute top-1 right-1 rounded-full bg-background/90 shadow-sm">
          {remove}
        </span>
        {progress}
        <span className="sr-only">
          {item.name}, {formatSize(item.size)}
        </span>
      </div>
    )
  }
  return (
    <div className="flex w-56 flex-col gap-1 rounded-lg border bg-muted/40 py-1.5 pr-1 pl-2.5">
      <div className="flex items-center gap-2">
        <FileText className="size-4 shrink-0 text-muted-foreground" aria-hidden="true" />
        <div className="flex min-w-0 flex-1 flex-col">
          <span className="truncate text-xs font-medium" title={item.source?.uri ?? item.name}>
            {item.name}
          </span>
          <span className="truncate text-xs text-muted-foreground">
            {item.source
              ? [
                  t('chat.attachments.fromServer', { server: item.source.server }),
                  item.status === 'ready' ? formatSize(item.size) : null,
                ]
                  .filter(Boolean)
                  .join(' · ')
              : formatSize(item.size)}
          </span>
        </div>
        {remove}
      </div>
      {progress}
    </div>
  )
}

type FilePart = Extract<ChatUIPart, { type: 'file' }>

/**
 * The files of a sent message: images as thumbnails that open the image in a new tab, other
 * files as chips that download them. Only our own attachments, data: and web links are shown.
 */
export function MessageAttachments({ parts }: { parts: readonly ChatUIPart[] }) {
  const { t } = useTranslation()
  const files = parts.filter(
    (part): part is FilePart =>
      part.type === 'file' &&
      (attachmentIdOf(part.url) !== null || /^(https?:|data:)/i.test(part.url)),
  )
  if (files.length === 0) return null
  return (
    <ul
      aria-label={t('chat.attachments.sentLabel')}
      className="flex max-w-[85%] flex-wrap justify-end gap-2"
    >
      {files.map((part, index) => {
        const name = part.filename ?? t('chat.thread.file')
        const image = part.mediaType.startsWith('image/')
        const source = fileSourceOf(part)
        return (
          // biome-ignore lint/suspicious/noArrayIndexKey: a message's parts never reorder
          <li key={index} data-message-attachment={image ? 'image' : 'file'}>
            {image ? (
              <a
                href={part.url}
                target="_blank"
                rel="noopener noreferrer"
                aria-label={t('chat.attachments.openImage', { name })}
                title={name}
                className="block rounded-lg focus-visible:ring-2 focus-visible:ring-ring focus-visible:outline-none"
              >
                <img
                  src={part.url}
                  alt={name}
                  loading="lazy"
                  className="max-h-32 max-w-48 rounded-lg border bg-muted object-cover"
                />
              </a>
            ) : (
              <a
                href={part.url}
                download={name}
                rel="noopener noreferrer"
                aria-label={t('chat.attachments.download', { name })}
                title={source?.uri}
                className="flex max-w-64 items-center gap-2 rounded-lg border bg-background px-3 py-2 text-xs font-medium text-foreground hover:bg-accent focus-visible:ring-2 focus-visible:ring-ring focus-visible:outline-none"
              >
                <FileText className="size-4 shrink-0 text-muted-foreground" aria-hidden="true" />
                <span className="flex min-w-0 flex-col">
                  <span className="truncate">{name}</span>
                  {source && (
                    <span className="truncate font-normal text-muted-foreground">
                      {t('chat.attachments.fromServer', { server: source.server })}
                    </span>
                  )}
                </span>
              </a>
            )}
          </li>
        )
      })}
    </ul>
  )
}
