import { keepPreviousData, useQuery } from '@tanstack/react-query'
import {
  Check,
  FileDown,
  FileJson,
  MoreHorizontal,
  Pencil,
  Pin,
  PinOff,
  Trash2,
  X,
} from 'lucide-react'
import { type FormEvent, useEffect, useId, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { NavLink } from 'react-router'
import { toast } from 'sonner'
import {
  CONVERSATION_TITLE_MAX,
  type Conversation,
  type ConversationListItem,
  DEFAULT_CONVERSATION_TITLE,
} from '../../shared/chat.ts'
import { chatQueries, conversationExportUrl, useUpdateConversation } from '../api/chat.ts'
import { useErrorMessage } from '../hooks/use-error-message.ts'
import { useFormatRelativeTime } from '../hooks/use-format-relative-time.ts'
import { SearchField } from './search-field.tsx'
import { Button } from './ui/button.tsx'
import { cn } from './ui/cn.ts'
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from './ui/dropdown-menu.tsx'
import { Input } from './ui/input.tsx'
import { Spinner } from './ui/spinner.tsx'

/** Typing pauses this long before the search goes out. */
const SEARCH_DELAY_MS = 250

/**
 * A conversation's title as shown: the server names new conversations in English until their
 * first message titles them, so that placeholder is shown in the interface language.
 */
export function useConversationTitle(): (title: string) => string {
  const { t } = useTranslation()
  return (title) => (title === DEFAULT_CONVERSATION_TITLE ? t('chat.untitled') : title)
}

export interface ChatConversationListProps {
  /** Every conversation (pinned first, then most recent first). */
  conversations: readonly ConversationListItem[]
  onDelete: (conversation: Conversation) => void
  /** A conversation was opened (the phone layout folds the list away). */
  onOpen?: () => void
}

/**
 * The user's conversations, pinned first, then most recent first: search them (titles and the
 * text of every message), open, pin, rename in place, download, delete.
 */
export function ChatConversationList({
  conversations,
  onDelete,
  onOpen,
}: ChatConversationListProps) {
  const { t } = useTranslation()
  const [typed, setTyped] = useState('')
  const query = useDebounced(typed.trim(), SEARCH_DELAY_MS)
  const found = useQuery({
    ...chatQueries.conversations(query),
    enabled: query !== '',
    // While the next search runs, the last results stay (not the whole list: its key is q = '').
    placeholderData: (previous, previousQuery) =>
      previousQuery?.queryKey[2] ? keepPreviousData(previous) : undefined,
  })
  const searching = query !== ''
  const shown = searching ? (found.data ?? []) : conversations

  if (conversations.length === 0 && !searching && typed === '') {
    return <p className="px-2 py-3 text-sm text-muted-foreground">{t('chat.list.empty')}</p>
  }
  return (
    <div className="flex flex-col gap-2">
      <SearchBox value={typed} busy={searching && found.isFetching} onChange={setTyped} />
      {searching && found.isSuccess && shown.length === 0 ? (
        <p className="px-2 py-1 text-sm text-muted-foreground" role="status">
          {t('chat.list.noMatches', { query })}
        </p>
      ) : (
        <ul
          aria-label={searching ? t('chat.list.results', { query }) : t('chat.list.label')}
          className="flex flex-col gap-0.5"
        >
          {shown.map((conversation) => (
            <li key={conversation.id}>
              <ConversationItem
                conversation={conversation}
                query={searching ? query : ''}
                onDelete={onDelete}
                onOpen={onOpen}
              />
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}

function SearchBox({
  value,
  busy,
  onChange,
}: {
  value: string
  busy: boolean
  onChange: (value: string) => void
}) {
  const { t } = useTranslation()
  return (
    <SearchField
      label={t('chat.list.search')}
      value={value}
      maxLength={200}
      placeholder={t('chat.list.searchPlaceholder')}
      onValueChange={onChange}
      onKeyDown={(event) => {
        if (event.key === 'Escape' && value !== '') {
          event.preventDefault()
          onChange('')
        }
      }}
      inputClassName="h-8 pr-8"
    >
      {busy && (
        <Spinner
          label={t('chat.list.searching')}
          className="absolute top-1/2 right-2.5 size-4 -translate-y-1/2"
        />
      )}
    </SearchField>
  )
}

function ConversationItem({
  conversation,
  query,
  onDelete,
  onOpen,
}: {
  conversation: ConversationListItem
  /** The search that found it (its match is shown instead of the time). */
  query: string
  onDelete: (conversation: Conversation) => void
  onOpen?: () => void
}) {
  const { t } = useTranslation()
  const errorMessage = useErrorMessage()
  const formatRelative = useFormatRelativeTime()
  const displayTitle = useConversationTitle()
  const update = useUpdateConversation()
  const [editing, setEditing] = useState(false)
  const menuButton = useRef<HTMLButtonElement>(null)
  // Rename and Delete act once the menu has closed: focus then goes to the text box, or back to
  // the menu button before the dialog opens (so the dialog returns it there).
  const afterMenu = useRef<'rename' | 'delete' | null>(null)
  const title = displayTitle(conversation.title)

  const stopEditing = () => {
    setEditing(false)
    // Back to where the keyboard was, once the button is there again.
    requestAnimationFrame(() => menuButton.current?.focus())
  }

  const setPinned = (pinned: boolean) =>
    update.mutate(
      { id: conversation.id, changes: { pinned } },
      {
        onSuccess: () =>
          toast.success(
            pinned
              ? t('chat.list.pinnedToast', { title })
              : t('chat.list.unpinnedToast', { title }),
          ),
        onError: (error) => toast.error(errorMessage(error)),
      },
    )

  if (editing) {
    return <RenameForm conversation={conversation} onDone={stopEditing} />
  }
  return (
    <div className="group flex items-center gap-0.5 rounded-md" data-pinned={conversation.pinned}>
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
        <span className="flex min-w-0 items-center gap-1.5">
          {conversation.pinned && (
            <Pin
              className="size-3 shrink-0 text-muted-foreground"
              aria-label={t('chat.list.pinned')}
            />
          )}
          <span className="truncate font-medium text-foreground">{title}</span>
        </span>
        {conversation.match ? (
          <span className="line-clamp-2 text-xs break-words">
            <Highlighted text={conversation.match} query={query} />
          </span>
        ) : (
          <span className="truncate text-xs">
            <time dateTime={conversation.updatedAt}>{formatRelative(conversation.updatedAt)}</time>
          </span>
        )}
      </NavLink>
      <DropdownMenu>
        <DropdownMenuTrigger asChild>
          <Button
            ref={menuButton}
            variant="ghost"
            size="icon"
            className="size-8 opacity-70 group-hover:opacity-100 focus-visible:opacity-100 data-[state=open]:opacity-100"
            aria-label={t('chat.list.actions', { title })}
            title={t('chat.list.actions', { title })}
          >
            <MoreHorizontal aria-hidden="true" />
          </Button>
        </DropdownMenuTrigger>
        <DropdownMenuContent
          onCloseAutoFocus={(event) => {
            const next = afterMenu.current
            afterMenu.current = null
            if (!next) return
            event.preventDefault()
            if (next === 'rename') {
              setEditing(true)
            } else {
              menuButton.current?.focus()
              onDelete(conversation)
            }
          }}
        >
          <DropdownMenuItem onSelect={() => setPinned(!conversation.pinned)}>
            {conversation.pinned ? <PinOff aria-hidden="true" /> : <Pin aria-hidden="true" />}
            {conversation.pinned ? t('chat.list.unpin') : t('chat.list.pin')}
          </DropdownMenuItem>
          <DropdownMenuItem onSelect={() => (afterMenu.current = 'rename')}>
            <Pencil aria-hidden="true" />
            {t('chat.list.renameItem')}
          </DropdownMenuItem>
          <DropdownMenuItem asChild>
            <a href={conversationExportUrl(conversation.id, 'md')} download>
              <FileDown aria-hidden="true" />
              {t('chat.list.exportMarkdown')}
            </a>
          </DropdownMenuItem>
          <DropdownMenuItem asChild>
            <a href={conversationExportUrl(conversation.id, 'json')} download>
              <FileJson aria-hidden="true" />
              {t('chat.list.exportJson')}
            </a>
          </DropdownMenuItem>
          <DropdownMenuSeparator />
          <DropdownMenuItem variant="destructive" onSelect={() => (afterMenu.current = 'delete')}>
            <Trash2 aria-hidden="true" />
            {t('chat.list.deleteItem')}
          </DropdownMenuItem>
        </DropdownMenuContent>
      </DropdownMenu>
    </div>
  )
}

/** The words around a search match, the match itself marked. */
function Highlighted({ text, query }: { text: string; query: string }) {
  const at = query ? text.toLocaleLowerCase().indexOf(query.toLocaleLowerCase()) : -1
  if (at === -1) return <>{text}</>
  return (
    <>
      {text.slice(0, at)}
      <mark className="rounded-sm bg-warning px-0.5 text-warning-foreground">
        {text.slice(at, at + query.length)}
      </mark>
      {text.slice(at + query.length)}
    </>
  )
}

function useDebounced<T>(value: T, delayMs: number): T {
  const [settled, setSettled] = useState(value)
  useEffect(() => {
    const timer = window.setTimeout(() => setSettled(value), delayMs)
    return () => window.clearTimeout(timer)
  }, [value, delayMs])
  return settled
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
  const hintId = useId()

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
    <form onSubmit={save} className="flex items-center gap-0.5 py-0.5" aria-describedby={hintId}>
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
      <span id={hintId} className="sr-only">
        {t('chat.list.renameHint')}
      </span>
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
