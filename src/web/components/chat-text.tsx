import { lazy, Suspense } from 'react'
import type { MarkdownProps } from './markdown.tsx'
import { cn } from './ui/cn.ts'

// The Markdown renderer is a chunk of its own: the first page (sign-in, an empty chat) does not
// wait for it, and its heavy parts (Shiki, KaTeX, Mermaid) come later still, when a text needs
// them (markdown-plugins.ts).
const Markdown = lazy(() =>
  import('./markdown.tsx').then(({ Markdown }) => ({ default: Markdown })),
)

/**
 * A message's text as Markdown (markdown.tsx). Until the renderer has loaded, the text shows as
 * it is, line breaks kept, so nothing waits on it.
 */
export function ChatText({ text, streaming, tone, className }: MarkdownProps) {
  return (
    <Suspense
      fallback={<p className={cn('min-w-0 break-words whitespace-pre-wrap', className)}>{text}</p>}
    >
      <Markdown text={text} streaming={streaming} tone={tone} className={className} />
    </Suspense>
  )
}
