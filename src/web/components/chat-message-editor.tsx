import { type FormEvent, type KeyboardEvent, useEffect, useId, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { MESSAGE_TEXT_MAX } from '../../shared/chat.ts'
import { Button } from './ui/button.tsx'
import { Textarea } from './ui/textarea.tsx'

export interface ChatMessageEditorProps {
  /** The message's text as it was. */
  text: string
  /** Sending is impossible right now (an answer streams, no provider). */
  disabled: boolean
  onSend: (text: string) => void
  onCancel: () => void
}

/**
 * A sent message, open for editing: Enter sends the new text (the answer after it is redone,
 * and the earlier version stays as a branch), Shift+Enter starts a line, Escape leaves it.
 */
export function ChatMessageEditor({ text, disabled, onSend, onCancel }: ChatMessageEditorProps) {
  const { t } = useTranslation()
  const id = useId()
  const [value, setValue] = useState(text)
  const box = useRef<HTMLTextAreaElement>(null)
  const canSend = !disabled && value.trim() !== ''

  useEffect(() => {
    const element = box.current
    if (!element) return
    element.focus()
    element.setSelectionRange(element.value.length, element.value.length)
  }, [])

  const send = (event?: FormEvent) => {
    event?.preventDefault()
    if (canSend) onSend(value)
  }

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault()
      send()
    } else if (event.key === 'Escape') {
      event.preventDefault()
      onCancel()
    }
  }

  return (
    <form
      onSubmit={send}
      aria-label={t('chat.actions.editLabel')}
      className="flex w-full max-w-[85%] flex-col gap-2 rounded-2xl border bg-background p-2 shadow-sm focus-within:ring-2 focus-within:ring-ring"
      data-editing=""
    >
      <Textarea
        ref={box}
        value={value}
        rows={2}
        maxLength={MESSAGE_TEXT_MAX}
        aria-label={t('chat.actions.editLabel')}
        aria-describedby={`${id}-hint`}
        onChange={(event) => setValue(event.target.value)}
        onKeyDown={onKeyDown}
        className="max-h-80 min-h-12 resize-none border-0 shadow-none focus-visible:outline-none"
        style={{ fieldSizing: 'content' }}
      />
      <div className="flex flex-wrap items-center justify-end gap-2 px-1">
        <p id={`${id}-hint`} className="min-w-0 flex-1 text-xs text-muted-foreground">
          {t('chat.actions.editHint')}
        </p>
        <Button type="button" size="sm" variant="ghost" onClick={onCancel}>
          {t('chat.actions.cancelEdit')}
        </Button>
        <Button type="submit" size="sm" disabled={!canSend}>
          {t('chat.actions.saveEdit')}
        </Button>
      </div>
    </form>
  )
}
