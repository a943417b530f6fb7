import { CircleAlert, Download, FileText } from 'lucide-react'
import type { ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { MarkdownResultText } from './markdown-result-text.tsx'
import { cn } from './ui/cn.ts'

// Content from a server as a person reads it: a resource's text or bytes, in tool results, in
// the resource viewer of the server page and of the chat.

const MIME_TYPE = /^[\w.+-]+\/[\w.+-]+$/
const BASE64 = /^[A-Za-z0-9+/=\s]*$/

/** A `data:` URL for base64 content, or null when either part could smuggle in anything else. */
function dataUrl(mimeType: string | undefined, base64: string): string | null {
  const type = mimeType ?? 'application/octet-stream'
  if (!MIME_TYPE.test(type) || !BASE64.test(base64)) return null
  return `data:${type};base64,${base64.replace(/\s/g, '')}`
}

/** Text that is JSON reads better indented. */
export function prettyText(text: string): string {
  const trimmed = text.trim()
  if (!/^[[{]/.test(trimmed)) return text
  try {
    return JSON.stringify(JSON.parse(trimmed), null, 2)
  } catch {
    return text
  }
}

/**
 * A resource's contents as a person reads them (an embedded resource in a tool result, or a
 * resource read from a server): its text, Markdown rendered, or its bytes as an image, a player
 * or a download.
 */
export function ResourceContent({
  content,
}: {
  content: { uri: string; mimeType?: string | null | undefined; text?: string; blob?: string }
}) {
  const { uri, text, blob } = content
  const mimeType = content.mimeType ?? undefined
  return (
    <BlockFrame icon={<FileText aria-hidden="true" />} title={uri} mono>
      {mimeType && <p className="text-xs text-muted-foreground">{mimeType}</p>}
      {text !== undefined &&
        (mimeType === 'text/markdown' ? (
          <MarkdownResultText text={text} />
        ) : (
          <pre className="max-h-72 overflow-auto rounded-md bg-muted/50 p-3 font-mono text-xs break-words whitespace-pre-wrap">
            {prettyText(text)}
          </pre>
        ))}
      {blob !== undefined && <Media mimeType={mimeType} base64={blob} name={uri} />}
    </BlockFrame>
  )
}

export function BlockFrame({
  icon,
  title,
  mono = false,
  children,
}: {
  icon: ReactNode
  title: string
  mono?: boolean
  children: ReactNode
}) {
  return (
    <div className="flex flex-col gap-2 rounded-md border p-3 text-sm">
      <p className="flex items-center gap-2 font-medium [&>svg]:size-4 [&>svg]:shrink-0">
        {icon}
        <span className={cn('min-w-0 break-all', mono && 'font-mono text-xs')}>{title}</span>
      </p>
      {children}
    </div>
  )
}

/** Base64 content by its type: an image, a player, or a download. */
export function Media({
  mimeType,
  base64,
  kind,
  name,
}: {
  mimeType: string | undefined
  base64: string
  kind?: 'image' | 'audio'
  name?: string
}) {
  const { t } = useTranslation()
  const url = dataUrl(mimeType, base64)
  if (!url) {
    return (
      <p className="flex items-center gap-2 text-sm text-muted-foreground">
        <CircleAlert className="size-4" aria-hidden="true" />
        {t('tester.result.unreadable', { mimeType: mimeType ?? '?' })}
      </p>
    )
  }
  const type = kind ?? mimeType?.split('/')[0]
  if (type === 'image') {
    return (
      <img
        src={url}
        alt={t('tester.result.imageAlt', { mimeType })}
        className="max-h-96 max-w-full rounded-md border object-contain"
      />
    )
  }
  if (type === 'audio') {
    // biome-ignore lint/a11y/useMediaCaption: tool audio comes without captions to offer
    return <audio controls src={url} aria-label={t('tester.result.audioLabel', { mimeType })} />
  }
  const bytes = Math.floor((base64.replace(/[\s=]/g, '').length * 3) / 4)
  return (
    <a
      href={url}
      download={name?.split('/').pop() || 'resource'}
      className="inline-flex items-center gap-1.5 self-start text-sm underline underline-offset-4"
    >
      <Download className="size-4" aria-hidden="true" />
      {t('tester.result.download', { count: bytes })}
    </a>
  )
}
