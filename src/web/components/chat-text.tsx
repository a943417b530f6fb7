import { Fragment } from 'react'
import { cn } from './ui/cn.ts'

interface Segment {
  kind: 'text' | 'code'
  text: string
  language?: string
}

const FENCE = /^```([\w+#.-]*)[ \t]*$/

/**
 * Model text split into prose and fenced code blocks. An unclosed fence (the model is still
 * writing the block) runs to the end, so streaming code shows as code at once.
 */
function splitFences(text: string): Segment[] {
  const segments: Segment[] = []
  let prose: string[] = []
  let code: string[] | null = null
  let language: string | undefined
  for (const line of text.split('\n')) {
    if (code === null) {
      const open = FENCE.exec(line.trim())
      if (open) {
        if (prose.length) segments.push({ kind: 'text', text: prose.join('\n') })
        prose = []
        code = []
        language = open[1] || undefined
      } else {
        prose.push(line)
      }
    } else if (line.trim() === '```') {
      segments.push({ kind: 'code', text: code.join('\n'), language })
      code = null
    } else {
      code.push(line)
    }
  }
  if (code !== null) segments.push({ kind: 'code', text: code.join('\n'), language })
  else if (prose.length) segments.push({ kind: 'text', text: prose.join('\n') })
  return segments
}

/** `inline code` spans of a line of prose. */
function InlineCode({ text }: { text: string }) {
  const pieces = text.split(/(`[^`\n]+`)/g)
  return (
    <>
      {pieces.map((piece, index) =>
        piece.length > 2 && piece.startsWith('`') && piece.endsWith('`') ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: pieces of one string never reorder
          <code key={index} className="rounded bg-muted px-1 py-0.5 font-mono text-[0.9em]">
            {piece.slice(1, -1)}
          </code>
        ) : (
          // biome-ignore lint/suspicious/noArrayIndexKey: pieces of one string never reorder
          <Fragment key={index}>{piece}</Fragment>
        ),
      )}
    </>
  )
}

/**
 * A message's text as plain text that keeps its line breaks, with fenced code blocks and inline
 * code set in monospace. Deliberately not Markdown: no HTML ever comes from model output.
 */
export function ChatText({ text, className }: { text: string; className?: string }) {
  const segments = splitFences(text)
  return (
    <div className={cn('flex min-w-0 flex-col gap-3 break-words', className)}>
      {segments.map((segment, index) =>
        segment.kind === 'code' ? (
          <pre
            // biome-ignore lint/suspicious/noArrayIndexKey: segments of one text never reorder
            key={index}
            data-language={segment.language}
            className="max-h-[32rem] overflow-auto rounded-md bg-muted/60 p-3 font-mono text-xs leading-relaxed"
          >
            <code>{segment.text}</code>
          </pre>
        ) : (
          segment.text.trim() && (
            // biome-ignore lint/suspicious/noArrayIndexKey: segments of one text never reorder
            <p key={index} className="whitespace-pre-wrap">
              <InlineCode text={segment.text.replace(/^\n+|\n+$/g, '')} />
            </p>
          )
        ),
      )}
    </div>
  )
}
