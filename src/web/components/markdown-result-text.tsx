import { Code } from 'lucide-react'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { ChatText } from './chat-text.tsx'
import { Button } from './ui/button.tsx'

/**
 * A tool's Markdown text, rendered like a chat answer, with a switch to its raw text (what the
 * model read, and what to copy).
 */
export function MarkdownResultText({ text }: { text: string }) {
  const { t } = useTranslation()
  const [raw, setRaw] = useState(false)
  return (
    <div className="flex flex-col gap-1.5" data-markdown-result={raw ? 'raw' : 'rendered'}>
      <Button
        variant="ghost"
        size="sm"
        aria-pressed={raw}
        onClick={() => setRaw((value) => !value)}
        className="h-7 self-end px-2 text-xs text-muted-foreground aria-pressed:bg-muted aria-pressed:text-foreground"
      >
        <Code aria-hidden="true" />
        {t('chat.markdown.rawText')}
      </Button>
      {raw ? (
        <pre className="max-h-96 overflow-auto rounded-md bg-muted/50 p-3 font-mono text-sm break-words whitespace-pre-wrap">
          {text}
        </pre>
      ) : (
        <div className="max-h-[32rem] overflow-auto rounded-md border p-3 text-sm">
          <ChatText text={text} />
        </div>
      )}
    </div>
  )
}
