import { CircleAlert, CircleX, ExternalLink, Link2, TriangleAlert } from 'lucide-react'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import type { ToolCallOutput, ToolCallView } from '../../shared/tool-calls.ts'
import { reasonText } from '../i18n/reason-text.ts'
import { MarkdownResultText } from './markdown-result-text.tsx'
import { looksLikeMarkdown } from './markdown-text.ts'
import { BlockFrame, Media, prettyText, ResourceContent } from './resource-content.tsx'
import { ResourcePreviewDialog } from './resource-preview-dialog.tsx'
import { Alert } from './ui/alert.tsx'
import { Button } from './ui/button.tsx'
import { cn } from './ui/cn.ts'

// The MCP content block types (spec 2025-06-18, "Tool Result"); anything else is shown as JSON.
const TextBlockSchema = z.object({ type: z.literal('text'), text: z.string() })
const MediaBlockSchema = z.object({
  type: z.enum(['image', 'audio']),
  data: z.string(),
  mimeType: z.string(),
})
const ResourceLinkBlockSchema = z.object({
  type: z.literal('resource_link'),
  uri: z.string(),
  name: z.string(),
  title: z.string().optional(),
  description: z.string().optional(),
  mimeType: z.string().optional(),
})
const EmbeddedResourceBlockSchema = z.object({
  type: z.literal('resource'),
  resource: z.object({
    uri: z.string(),
    mimeType: z.string().optional(),
    text: z.string().optional(),
    blob: z.string().optional(),
  }),
})
const ContentBlockSchema = z.discriminatedUnion('type', [
  TextBlockSchema,
  MediaBlockSchema,
  ResourceLinkBlockSchema,
  EmbeddedResourceBlockSchema,
])
type ContentBlock = z.infer<typeof ContentBlockSchema>

/** Links out only to the web; other schemes (file:, javascript:, custom) are shown as text. */
function webUrl(uri: string): string | null {
  try {
    const url = new URL(uri)
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null
  } catch {
    return null
  }
}

export function JsonBlock({ value }: { value: unknown }) {
  return (
    <pre className="max-h-96 overflow-auto rounded-md bg-muted/50 p-3 font-mono text-xs break-words whitespace-pre-wrap">
      {JSON.stringify(value, null, 2)}
    </pre>
  )
}

/**
 * A tool's result as a person reads it: text, images, audio, resources and links in order, then
 * the structured content. A result the tool marked `isError` is framed as an error.
 */
export function ToolResultView({
  output,
  serverId,
}: {
  output: ToolCallOutput
  /** The server that answered: its resource links open in the resource viewer. */
  serverId?: string | null | undefined
}) {
  const { t } = useTranslation()
  return (
    <section
      aria-label={t('tester.result.label')}
      data-result={output.isError ? 'error' : 'ok'}
      className={cn(
        'flex flex-col gap-3',
        output.isError && 'rounded-lg border border-destructive/40 bg-destructive/5 p-3',
      )}
    >
      {output.isError && (
        <p className="flex items-center gap-2 text-sm font-medium text-destructive">
          <CircleX className="size-4" aria-hidden="true" />
          {t('tester.result.toolError')}
        </p>
      )}
      {output.truncated && (
        <Alert variant="warning">
          <TriangleAlert aria-hidden="true" />
          <p>{t('tester.result.truncated')}</p>
        </Alert>
      )}
      {output.content.length === 0 && !output.structuredContent && (
        <p className="text-sm text-muted-foreground">{t('tester.result.empty')}</p>
      )}
      {output.content.map((raw, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: a result's blocks never reorder
        <div key={index} data-block={raw.type}>
          <ContentBlockView block={raw} serverId={serverId ?? null} />
        </div>
      ))}
      {output.structuredContent && (
        <div className="flex flex-col gap-1.5" data-block="structured">
          <p className="text-xs font-medium tracking-wide text-muted-foreground uppercase">
            {t('tester.result.structured')}
          </p>
          <JsonBlock value={output.structuredContent} />
        </div>
      )}
    </section>
  )
}

/** One MCP content block (of a tool result or a prompt's message); an unknown one as JSON. */
export function ContentBlockView({
  block,
  serverId,
}: {
  block: { type: string }
  serverId: string | null
}) {
  const parsed = ContentBlockSchema.safeParse(block)
  return parsed.success ? (
    <Block block={parsed.data} serverId={serverId} />
  ) : (
    <JsonBlock value={block} />
  )
}

function Block({ block, serverId }: { block: ContentBlock; serverId: string | null }) {
  switch (block.type) {
    case 'text':
      if (looksLikeMarkdown(block.text)) return <MarkdownResultText text={block.text} />
      return (
        <pre className="max-h-96 overflow-auto rounded-md bg-muted/50 p-3 font-mono text-sm break-words whitespace-pre-wrap">
          {prettyText(block.text)}
        </pre>
      )
    case 'image':
    case 'audio':
      return <Media mimeType={block.mimeType} base64={block.data} kind={block.type} />
    case 'resource_link':
      return <ResourceLink block={block} serverId={serverId} />
    case 'resource':
      return <ResourceContent content={block.resource} />
  }
}

/**
 * A link to a resource: a web address opens in a new tab; any other URI is read from the server
 * that gave it, in the same viewer as the server page's resources.
 */
function ResourceLink({
  block,
  serverId,
}: {
  block: z.infer<typeof ResourceLinkBlockSchema>
  serverId: string | null
}) {
  const { t } = useTranslation()
  const [open, setOpen] = useState(false)
  const href = webUrl(block.uri)
  const name = block.title ?? block.name
  return (
    <BlockFrame icon={<Link2 aria-hidden="true" />} title={name}>
      {block.description && <p className="text-muted-foreground">{block.description}</p>}
      {href ? (
        <a
          href={href}
          target="_blank"
          rel="noopener noreferrer"
          className="inline-flex items-center gap-1 font-mono text-xs break-all underline underline-offset-4"
        >
          {block.uri}
          <ExternalLink className="size-3 shrink-0" aria-hidden="true" />
          <span className="sr-only">{t('tester.result.opensInNewTab')}</span>
        </a>
      ) : (
        <p className="font-mono text-xs break-all">{block.uri}</p>
      )}
      {block.mimeType && <p className="text-xs text-muted-foreground">{block.mimeType}</p>}
      {!href && serverId && (
        <>
          <Button
            type="button"
            variant="outline"
            size="sm"
            className="self-start"
            onClick={() => setOpen(true)}
            aria-label={t('resources.openLabel', { name })}
          >
            {t('resources.open')}
          </Button>
          <ResourcePreviewDialog
            serverId={serverId}
            uri={open ? block.uri : null}
            onClose={() => setOpen(false)}
          />
        </>
      )}
    </BlockFrame>
  )
}

/** Why a call ended without a result: its status and the server's message. */
export function ToolCallErrorAlert({ call }: { call: ToolCallView }) {
  const { t } = useTranslation()
  if (call.status === 'succeeded' || call.status === 'running' || call.status === 'pending') {
    return null
  }
  // The tool's own error result says it better, and is shown as the result.
  if (call.output?.isError) return null
  const fallback = t(`toolCalls.statusHints.${call.status}`)
  // A cancel is what the user asked for: say so plainly, not as an error.
  const variant = call.status === 'cancelled' ? 'info' : 'destructive'
  return (
    <Alert variant={variant} role="alert" data-call-error={call.status}>
      <CircleAlert aria-hidden="true" />
      <div className="flex min-w-0 flex-col gap-1">
        <p className="font-medium">{t(`toolCalls.status.${call.status}`)}</p>
        <p className="break-words">{reasonText(t, call.errorReason, call.error ?? fallback)}</p>
      </div>
    </Alert>
  )
}
