import { useQuery } from '@tanstack/react-query'
import type { FileUIPart } from 'ai'
import { SendHorizontal, Square } from 'lucide-react'
import {
  type ClipboardEvent,
  type DragEvent,
  type FormEvent,
  type KeyboardEvent,
  type RefObject,
  useId,
  useRef,
  useState,
} from 'react'
import { useTranslation } from 'react-i18next'
import type { AttachmentLimits } from '../../shared/attachments.ts'
import { MESSAGE_TEXT_MAX } from '../../shared/chat.ts'
import type { PromptPartData } from '../../shared/mcp-prompts.ts'
import { acceptsImages } from '../../shared/models.ts'
import { modelQueries } from '../api/models.ts'
import { useAttachmentUploads } from '../hooks/use-attachment-uploads.ts'
import { useComposerMenu } from '../hooks/use-composer-menu.ts'
import { useComposerPrompt } from '../hooks/use-composer-prompt.ts'
import { AttachButton, ComposerAttachments } from './chat-attachments.tsx'
import { ComposerMenu } from './chat-composer-menu.tsx'
import { ComposerPrompt, PromptArgumentsDialog } from './chat-prompt.tsx'
import { ResourceTemplateDialog } from './resource-template-dialog.tsx'
import { Button } from './ui/button.tsx'
import { cn } from './ui/cn.ts'
import { Label } from './ui/label.tsx'
import { Textarea } from './ui/textarea.tsx'

export interface ChatComposerProps {
  /** An answer is on its way: sending waits, Stop is offered. */
  busy: boolean
  /** Why sending is impossible right now (no provider); null when it is possible. */
  blockedReason: string | null
  /** A hint under the box (e.g. that sending denies the pending approvals). */
  hint?: string
  /** The largest file of each kind the server takes. */
  attachmentLimits: AttachmentLimits
  /** The model picked: one that the catalogue says reads no images gets none. */
  model?: string
  /** The words, the files, and the server prompt the message starts with (or null). */
  onSend: (text: string, files: FileUIPart[], prompt: PromptPartData | null) => void
  onStop: () => void
  /** Up in the empty box: edit the last message sent; false when there is none. */
  onEditLast?: () => boolean
  textareaRef?: RefObject<HTMLTextAreaElement | null>
}

/**
 * The message box: Enter sends, Shift+Enter adds a line, Up (while empty) edits the last message
 * sent; Stop (or Escape) while the answer streams. Files come in by the paperclip, by pasting and
 * by dropping them on the box; each uploads at once and shows as a thumbnail or a chip. `@`
 * attaches a resource of the user's servers, `/` (first) starts the message with a prompt.
 */
export function ChatComposer({
  busy,
  blockedReason,
  hint,
  attachmentLimits,
  model,
  onSend,
  onStop,
  onEditLast,
  textareaRef,
}: ChatComposerProps) {
  const { t } = useTranslation()
  const id = useId()
  const [text, setText] = useState('')
  const [dragging, setDragging] = useState(false)
  const uploads = useAttachmentUploads(attachmentLimits)
  const ownRef = useRef<HTMLTextAreaElement>(null)
  const boxRef = textareaRef ?? ownRef
  const prompts = useComposerPrompt()
  const menu = useComposerMenu({
    text,
    setText,
    textarea: boxRef,
    uploads,
    onPrompt: prompts.choose,
  })
  const models = useQuery(modelQueries.list())
  const picked = models.data?.models.find((candidate) => candidate.id === model)
  // Unknown (not listed, or the provider does not say): sent, and the server decides.
  const readsImages = picked ? acceptsImages(picked) : null
  const ready = uploads.items.filter((item) => item.status === 'ready')
  const imagesRefused =
    readsImages === false && ready.some((item) => item.attachment?.kind === 'image')
  const canSend =
    !busy &&
    !blockedReason &&
    !uploads.uploading &&
    !imagesRefused &&
    prompts.prompt?.status !== 'loading' &&
    prompts.prompt?.status !== 'failed' &&
    (text.trim() !== '' || ready.length > 0 || prompts.part() !== null)
  const canAttach = blockedReason === null

  const send = (event?: FormEvent) => {
    event?.preventDefault()
    if (!canSend) return
    onSend(text, uploads.fileParts(), prompts.part())
    setText('')
    uploads.clear()
    prompts.remove()
  }

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (menu.onKeyDown(event)) return
    // isComposing: Enter also confirms an IME composition (Japanese, Chinese…); that is no send.
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault()
      send()
      return
    }
    const plain = !event.shiftKey && !event.altKey && !event.ctrlKey && !event.metaKey
    if (event.key === 'ArrowUp' && plain && text === '' && onEditLast?.()) event.preventDefault()
  }

  // A pasted screenshot or copied file is attached; pasted words stay words (a copy from a word
  // processor carries a picture of the text as well: the text is what was meant).
  const onPaste = (event: ClipboardEvent<HTMLTextAreaElement>) => {
    const files = Array.from(event.clipboardData.files)
    if (files.length === 0 || !canAttach) return
    if (event.clipboardData.getData('text/plain').trim() !== '') return
    event.preventDefault()
    uploads.add(files)
  }

  const carriesFiles = (event: DragEvent) => event.dataTransfer.types.includes('Files')
  const onDragOver = (event: DragEvent<HTMLFormElement>) => {
    if (!carriesFiles(event) || !canAttach) return
    event.preventDefault()
    event.dataTransfer.dropEffect = 'copy'
    setDragging(true)
  }
  const onDragLeave = (event: DragEvent<HTMLFormElement>) => {
    // Leaving for a child of the form is no leaving.
    if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setDragging(false)
  }
  const onDrop = (event: DragEvent<HTMLFormElement>) => {
    setDragging(false)
    if (!carriesFiles(event) || !canAttach) return
    event.preventDefault()
    uploads.add(Array.from(event.dataTransfer.files))
  }

  const below = imagesRefused
    ? t('errors.images_not_supported')
    : (blockedReason ?? hint ?? t('chat.composer.hint'))

  return (
    <form
      onSubmit={send}
      onDragOver={onDragOver}
      onDragLeave={onDragLeave}
      onDrop={onDrop}
      aria-label={t('chat.composer.formLabel')}
      data-dragging={dragging || undefined}
      className={cn(
        'relative flex flex-col gap-1.5 rounded-xl border bg-background p-2 shadow-sm focus-within:ring-2 focus-within:ring-ring',
        dragging && 'border-dashed border-primary ring-2 ring-primary/40',
      )}
    >
      {dragging && (
        <div className="pointer-events-none absolute inset-0 z-10 flex items-center justify-center rounded-xl bg-background/90 text-sm font-medium">
          {t('chat.attachments.dropHere')}
        </div>
      )}
      {menu.open && (
        <ComposerMenu
          id={`${id}-menu`}
          kind={menu.open.kind}
          items={menu.open.items}
          active={menu.open.active}
          loading={menu.open.loading}
          onPick={menu.pick}
          onHover={menu.setActive}
        />
      )}
      <ResourceTemplateDialog
        template={menu.template}
        onAttach={menu.attachTemplate}
        onClose={menu.closeTemplate}
      />
      <PromptArgumentsDialog
        prompt={prompts.asking}
        onFill={prompts.fillAsked}
        onClose={() => {
          prompts.cancelAsking()
          boxRef.current?.focus()
        }}
      />
      {prompts.prompt && <ComposerPrompt prompt={prompts.prompt} onRemove={prompts.remove} />}
      <ComposerAttachments items={uploads.items} onRemove={uploads.remove} />
      <Label htmlFor={id} className="sr-only">
        {t('chat.composer.label')}
      </Label>
      <Textarea
        ref={boxRef}
        id={id}
        value={text}
        rows={2}
        maxLength={MESSAGE_TEXT_MAX}
        placeholder={t('chat.composer.placeholder')}
        aria-describedby={`${id}-hint`}
        aria-autocomplete="list"
        aria-expanded={menu.open !== null}
        aria-controls={menu.open ? `${id}-menu` : undefined}
        aria-activedescendant={
          menu.open && menu.open.items.length > 0 ? `${id}-menu-${menu.open.active}` : undefined
        }
        disabled={blockedReason !== null}
        onChange={(event) => {
          setText(event.target.value)
          menu.onCaret(event.target.selectionStart)
        }}
        onSelect={(event) => menu.onCaret(event.currentTarget.selectionStart)}
        onBlur={menu.onBlur}
        onKeyDown={onKeyDown}
        onPaste={onPaste}
        className="max-h-60 min-h-12 resize-none border-0 shadow-none focus-visible:outline-none"
        style={{ fieldSizing: 'content' }}
      />
      <div className="flex items-center gap-2 px-1">
        <AttachButton disabled={!canAttach} onFiles={uploads.add} />
        <p
          id={`${id}-hint`}
          className={cn(
            'min-w-0 flex-1 text-xs',
            imagesRefused ? 'text-destructive' : 'text-muted-foreground',
          )}
          data-composer-hint=""
        >
          {below}
        </p>
        {busy ? (
          <Button
            type="button"
            size="sm"
            variant="outline"
            onClick={onStop}
            title={t('chat.composer.stopHint')}
            aria-keyshortcuts="Escape"
          >
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
