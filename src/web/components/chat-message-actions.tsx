import { Check, ChevronDown, ChevronLeft, ChevronRight, Copy, Pencil, RotateCw } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import { toast } from 'sonner'
import type { ChatUIMessage } from '../api/chat.ts'
import { useCopyToClipboard } from '../hooks/use-copy-to-clipboard.ts'
import { Button } from './ui/button.tsx'
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuTrigger,
} from './ui/dropdown-menu.tsx'

const ACTION = 'size-7 text-muted-foreground hover:text-foreground [&_svg]:size-3.5'

/** A message as Markdown, as written: its text parts, a blank line apart. */
export function messageMarkdown(message: ChatUIMessage): string {
  return message.parts
    .map((part) => (part.type === 'text' ? part.text.trim() : ''))
    .filter((text) => text !== '')
    .join('\n\n')
}

/** Copies the message's text (its Markdown source); says so for a moment. */
export function CopyMessageButton({ message }: { message: ChatUIMessage }) {
  const { t } = useTranslation()
  const { copied, copy } = useCopyToClipboard()
  const onCopy = async () => {
    const text = messageMarkdown(message)
    // Without a secure context the clipboard API is missing: select a hidden copy and copy that.
    const fallback = document.createElement('textarea')
    fallback.value = text
    fallback.setAttribute('readonly', '')
    fallback.className = 'fixed top-0 left-0 opacity-0'
    document.body.append(fallback)
    try {
      if (!(await copy(text, fallback))) toast.error(t('chat.actions.copyFailed'))
    } finally {
      fallback.remove()
    }
  }
  const label = copied ? t('chat.actions.copied') : t('chat.actions.copy')
  return (
    <Button
      variant="ghost"
      size="icon"
      className={ACTION}
      aria-label={label}
      title={label}
      onClick={() => void onCopy()}
    >
      {copied ? <Check aria-hidden="true" /> : <Copy aria-hidden="true" />}
    </Button>
  )
}

export function EditMessageButton({ disabled, onEdit }: { disabled: boolean; onEdit: () => void }) {
  const { t } = useTranslation()
  return (
    <Button
      variant="ghost"
      size="icon"
      className={ACTION}
      aria-label={t('chat.actions.edit')}
      title={t('chat.actions.edit')}
      disabled={disabled}
      onClick={onEdit}
    >
      <Pencil aria-hidden="true" />
    </Button>
  )
}

/** "‹ 2 / 3 ›": the versions of a message (edited, or answered again); each is a branch. */
export function BranchSwitcher({
  ids,
  current,
  disabled,
  onSwitch,
}: {
  ids: readonly string[]
  current: string
  disabled: boolean
  onSwitch: (id: string) => void
}) {
  const { t } = useTranslation()
  const index = ids.indexOf(current)
  if (index === -1 || ids.length < 2) return null
  const previous = ids[index - 1]
  const next = ids[index + 1]
  return (
    <fieldset
      aria-label={t('chat.actions.versions')}
      className="m-0 flex items-center border-0 p-0 text-xs text-muted-foreground tabular-nums"
      data-branch={`${index + 1}/${ids.length}`}
    >
      <Button
        variant="ghost"
        size="icon"
        className={ACTION}
        aria-label={t('chat.actions.previousVersion')}
        title={t('chat.actions.previousVersion')}
        disabled={disabled || previous === undefined}
        onClick={() => previous && onSwitch(previous)}
      >
        <ChevronLeft aria-hidden="true" />
      </Button>
      <span>{t('chat.actions.versionOf', { index: index + 1, count: ids.length })}</span>
      <Button
        variant="ghost"
        size="icon"
        className={ACTION}
        aria-label={t('chat.actions.nextVersion')}
        title={t('chat.actions.nextVersion')}
        disabled={disabled || next === undefined}
        onClick={() => next && onSwitch(next)}
      >
        <ChevronRight aria-hidden="true" />
      </Button>
    </fieldset>
  )
}

/**
 * Answer again (the old answer stays, as a branch): with the conversation's model, or, from the
 * menu beside it, with another of the models on offer.
 */
export function RegenerateButton({
  models,
  answeredWith,
  disabled,
  onRegenerate,
}: {
  models: readonly { id: string; label: string }[]
  /** The model of the answer shown (ticked in the menu). */
  answeredWith: string | undefined
  disabled: boolean
  onRegenerate: (model?: string) => void
}) {
  const { t } = useTranslation()
  return (
    <div className="flex items-center">
      <Button
        variant="ghost"
        size="icon"
        className={ACTION}
        aria-label={t('chat.actions.regenerate')}
        title={t('chat.actions.regenerate')}
        disabled={disabled}
        onClick={() => onRegenerate()}
      >
        <RotateCw aria-hidden="true" />
      </Button>
      {models.length > 1 && (
        <DropdownMenu>
          <DropdownMenuTrigger asChild disabled={disabled}>
            <Button
              variant="ghost"
              size="icon"
              className={`${ACTION} w-5`}
              aria-label={t('chat.actions.regenerateWith')}
              title={t('chat.actions.regenerateWith')}
            >
              <ChevronDown aria-hidden="true" />
            </Button>
          </DropdownMenuTrigger>
          <DropdownMenuContent align="start">
            <DropdownMenuLabel>{t('chat.actions.regenerateWith')}</DropdownMenuLabel>
            {models.map((model) => (
              <DropdownMenuItem key={model.id} onSelect={() => onRegenerate(model.id)}>
                <span className="min-w-0 flex-1 truncate">{model.label}</span>
                {model.id === answeredWith && <Check aria-label={t('chat.actions.answeredWith')} />}
              </DropdownMenuItem>
            ))}
          </DropdownMenuContent>
        </DropdownMenu>
      )}
    </div>
  )
}
