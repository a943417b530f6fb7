import { Check, Pencil, Trash2, X } from 'lucide-react'
import { type FormEvent, useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { NavLink } from 'react-router'
import { toast } from 'sonner'
import {
  CONVERSATION_TITLE_MAX,
  type Conversation,
  DEFAULT_CONVERSATION_TITLE,
} from '../../shared/chat.ts'
import { useUpdateConversation } from '../api/chat.ts'
import { useErrorMessage } from '../hooks/use-error-message.ts'
import { useFormatRelativeTime } from '../hooks/use-format-relative-time.ts'
import { Button } from './ui/button.tsx'
import { cn } from './ui/cn.ts'
import { Input } from './ui/input.tsx'

/**
 * A conversation's title as shown: the server names new conversations in English until their
 * first message titles them, so that placeholder is shown in the interface language.
 */
export function useConversationTitle(): (title: string) => string {
  const { t } = useTranslation()
  return (title) => (title === DEFAULT_CONVERSATION_TITLE ? t('chat.untitled') : title)
}

export interface ChatConversationListProps {
  conversations: readonly Conversation[]
  onDelete: (conversation: Conversation) => void
  /** A conversation was opened (the phone layout folds the list away). */
  onOpen?: () => void
}

/** The user's conversations, most recent first: open, rename in place, delete. */
export function ChatConversationList({
  conversations,
  onDelete,
  onOpen,
}: ChatConversationListProps) {
  const { t } = useTranslation()
  if (conversations.length === 0) {
    return <p className="px-2 py-3 text-sm text-muted-foreground">{t('chat.list.empty')}</p>
  }
  return (
    <ul aria-label={t('chat.list.label')} className="flex flex-col gap-0.5">
      {conversations.map((conversation) => (
        <li key={conversation.id}>
          <ConversationItem conversation={conversation} onDelete={onDelete} onOpen={onOpen} />
        </li>
      ))}
    </ul>
  )
}

function ConversationItem({
  conversation,
  onDelete,
  onOpen,
}: {
  conversation: Conversation
  onDelete: (conversation: Conversation) => void
  onOpen?: () => void
}) {
  const { t } = useTranslation()
  const formatRelative = useFormatRelativeTime()
  const displayTitle = useConversationTitle()
  const [editing, setEditing] = useState(false)
  const renameButton = useRef<HTMLButtonElement>(null)
  const title = displayTitle(conversation.title)

  const stopEditing = () => {
    setEditing(false)
    // Back to where the keyboard was, once the button is there again.
    requestAnimationFrame(() => renameButton.current?.focus())
  }

  if (editing) {
    return <RenameForm conversation={conversation} onDone={stopEditing} />
  }
  return (
    <div className="group flex items-center gap-0.5 rounded-md">
      <NavLink
        to={`/chat/${encodeURIComponent(conversation.id)}`}
        onClick={onOpen}
        className={({ isActive }) =>
          cn(
            'flex min-w-0 flex-1 flex-col rounded-md px-2.5 py-1.5 text-sm transition-[color,background-color]',
            isActive
              ? 'bg-accent text-accent-foreground'
              : 'text-muted-foreground hover:bg-accent hover:text-accent-foreground',
          )
        }
      >
        <span className="truncate font-medium text-foreground">{title}</span>
        <span className="truncate text-xs">
          <time dateTime={conversation.updatedAt}>{formatRelative(conversation.updatedAt)}</time>
        </span>
      </NavLink>
      <Button
        ref={renameButton}
        variant="ghost"
        size="icon"
        className="size-8 opacity-70 group-hover:opacity-100 focus-visible:opacity-100"
        aria-label={t('chat.list.rename', { title })}
        title={t('chat.list.rename', { title })}
        onClick={() => setEditing(true)}
      >
        <Pencil aria-hidden="true" />
      </Button>
      <Button
        variant="ghost"
        size="icon"
        className="size-8 opacity-70 group-hover:opacity-100 focus-visible:opacity-100"
        aria-label={t('chat.list.delete', { title })}
        title={t('chat.list.delete', { title })}
        onClick={() => onDelete(conversation)}
      >
        <Trash2 aria-hidden="true" />
      </Button>
    </div>
  )
}

/** The title as a text box: Enter saves, Escape (or the X) leaves it as it was. */
function RenameForm({ conversation, onDone }: { conversation: Conversation; onDone: () => void }) {
  const { t } = useTranslation()
  const errorMessage = useErrorMessage()
  const update = useUpdateConversation()
  const displayTitle = useConversationTitle()
  const shown = displayTitle(conversation.title)
  const [value, setValue] = useState(shown)
  const input = useRef<HTMLInputElement>(null)

  useEffect(() => {
    input.current?.focus()
    input.current?.select()
  }, [])

  const save = (event: FormEvent) => {
    event.preventDefault()
    const title = value.trim()
    if (!title || title === shown) {
      onDone()
      return
    }
    update.mutate(
      { id: conversation.id, changes: { title } },
      {
        onSuccess: (saved) => {
          toast.success(t('chat.renamed', { title: saved.title }))
          onDone()
        },
        onError: (error) => toast.error(errorMessage(error)),
      },
    )
  }

  return (
    <form onSubmit={save} className="flex items-center gap-0.5 py-0.5">
      <Input
        ref={input}
        value={value}
        maxLength={CONVERSATION_TITLE_MAX}
        aria-label={t('chat.list.renameLabel', { title: shown })}
        disabled={update.isPending}
        onChange={(event) => setValue(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Escape') {
            event.preventDefault()
            onDone()
          }
        }}
        className="h-8"
      />
      <Button
        type="submit"
        variant="ghost"
        size="icon"
        className="size-8"
        pending={update.isPending}
        aria-label={t('chat.list.saveTitle')}
      >
        {!update.isPending && <Check aria-hidden="true" />}
      </Button>
      <Button
        variant="ghost"
        size="icon"
        className="size-8"
        aria-label={t('chat.list.cancelRename')}
        onClick={onDone}
      >
        <X aria-hidden="true" />
      </Button>
    </form>
  )
}
