import { SendHorizontal, Square } from 'lucide-react'
import { type FormEvent, type KeyboardEvent, type RefObject, useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { MESSAGE_TEXT_MAX } from '../../shared/chat.ts'
import { Button } from './ui/button.tsx'
import { Label } from './ui/label.tsx'
import { Textarea } from './ui/textarea.tsx'

export interface ChatComposerProps {
  /** An answer is on its way: sending waits, Stop is offered. */
  busy: boolean
  /** Why sending is impossible right now (no provider); null when it is possible. */
  blockedReason: string | null
  /** A hint under the box (e.g. that sending denies the pending approvals). */
  hint?: string
  onSend: (text: string) => void
  onStop: () => void
  textareaRef?: RefObject<HTMLTextAreaElement | null>
}

/** The message box: Enter sends, Shift+Enter adds a line; Stop while the answer streams. */
export function ChatComposer({
  busy,
  blockedReason,
  hint,
  onSend,
  onStop,
  textareaRef,
}: ChatComposerProps) {
  const { t } = useTranslation()
  const id = useId()
  const [text, setText] = useState('')
  const canSend = !busy && !blockedReason && text.trim() !== ''

  const send = (event?: FormEvent) => {
    event?.preventDefault()
    if (!canSend) return
    onSend(text)
    setText('')
  }

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    // isComposing: Enter also confirms an IME composition (Japanese, Chinese…); that is no send.
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault()
      send()
    }
  }

  return (
    <form
      onSubmit={send}
      aria-label={t('chat.composer.formLabel')}
      className="flex flex-col gap-1.5 rounded-xl border bg-background p-2 shadow-sm focus-within:ring-2 focus-within:ring-ring"
    >
      <Label htmlFor={id} className="sr-only">
        {t('chat.composer.label')}
      </Label>
      <Textarea
        ref={textareaRef}
        id={id}
        value={text}
        rows={2}
        maxLength={MESSAGE_TEXT_MAX}
        placeholder={t('chat.composer.placeholder')}
        aria-describedby={`${id}-hint`}
        disabled={blockedReason !== null}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={onKeyDown}
        className="max-h-60 min-h-12 resize-none border-0 shadow-none focus-visible:outline-none"
        style={{ fieldSizing: 'content' }}
      />
      <div className="flex items-center gap-2 px-1">
        <p id={`${id}-hint`} className="min-w-0 flex-1 text-xs text-muted-foreground">
          {blockedReason ?? hint ?? t('chat.composer.hint')}
        </p>
        {busy ? (
          <Button type="button" size="sm" variant="outline" onClick={onStop}>
            <Square className="fill-current" aria-hidden="true" />
            {t('chat.composer.stop')}
          </Button>
        ) : (
          <Button type="submit" size="sm" disabled={!canSend}>
            <SendHorizontal aria-hidden="true" />
            {t('chat.composer.send')}
          </Button>
        )}
      </div>
    </form>
  )
}
