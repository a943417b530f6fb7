import { useQuery } from '@tanstack/react-query'
import {
  ChevronDown,
  MessageSquare,
  MessageSquarePlus,
  PanelLeftClose,
  PanelLeftOpen,
  SearchX,
} from 'lucide-react'
import { useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, useNavigate, useParams } from 'react-router'
import { toast } from 'sonner'
import type { ChatConfig, Conversation } from '../../shared/chat.ts'
import type { Preset } from '../../shared/presets.ts'
import {
  chatQueries,
  startDraftConversation,
  useCreateConversation,
  useDeleteConversation,
} from '../api/chat.ts'
import { ApiError } from '../api/client.ts'
import { startDraftFromPreset } from '../api/conversation-settings.ts'
import { serverQueries } from '../api/mcp-servers.ts'
import {
  ChatConversationList,
  useConversationTitle,
} from '../components/chat-conversation-list.tsx'
import { ChatPresetMenu } from '../components/chat-preset-menu.tsx'
import { ChatProviderBanner } from '../components/chat-provider-banner.tsx'
import { ChatThread } from '../components/chat-thread.tsx'
import { ConfirmDialog } from '../components/confirm-dialog.tsx'
import { EmptyState } from '../components/empty-state.tsx'
import { ErrorState } from '../components/error-state.tsx'
import { Button } from '../components/ui/button.tsx'
import { cn } from '../components/ui/cn.ts'
import { Skeleton } from '../components/ui/skeleton.tsx'
import { useDocumentTitle } from '../hooks/use-document-title.ts'

/** /chat and /chat/:conversationId: the conversations beside the open one. */
export function ChatPage() {
  const { t } = useTranslation()
  const { conversationId } = useParams()
  const navigate = useNavigate()
  const displayTitle = useConversationTitle()
  const listId = useId()
  const sidebarId = useId()
  useDocumentTitle(t('chat.title'))
  const config = useQuery(chatQueries.config())
  const conversations = useQuery(chatQueries.conversations())
  const servers = useQuery(serverQueries.list())
  const create = useCreateConversation()
  const remove = useDeleteConversation()
  const [deleting, setDeleting] = useState<Conversation | null>(null)
  // Below md the list folds away above the thread; it opens on demand.
  const [listOpen, setListOpen] = useState(false)
  const [sidebarCollapsed, setSidebarCollapsed] = useSidebarCollapsed()

  // A draft: nothing is stored until its first message is sent (conversations area).
  const startConversation = () => {
    setListOpen(false)
    navigate(`/chat/${encodeURIComponent(startDraftConversation())}`)
  }

  // Models area: a draft that starts with the preset's model, instructions and servers.
  const startFromPreset = (preset: Preset) => {
    setListOpen(false)
    toast.success(t('models.presets.started', { name: preset.name }))
    navigate(`/chat/${encodeURIComponent(startDraftFromPreset(preset))}`)
  }

  const confirmDelete = () => {
    if (!deleting) return
    const { id } = deleting
    const title = displayTitle(deleting.title)
    remove.mutate(id, {
      onSuccess: () => {
        toast.success(t('chat.deleted', { title }))
        setDeleting(null)
        if (id === conversationId) navigate('/chat', { replace: true })
      },
    })
  }

  const newButton = (className?: string) => (
    <Button onClick={startConversation} pending={create.isPending} className={className}>
      <MessageSquarePlus aria-hidden="true" />
      {t('chat.newConversation')}
    </Button>
  )
  const list = conversations.data ?? []
  const current = list.find((c) => c.id === conversationId)

  const sidebarToggleLabel = sidebarCollapsed
    ? t('layout.chat.showList')
    : t('layout.chat.hideList')
  const SidebarIcon = sidebarCollapsed ? PanelLeftOpen : PanelLeftClose
  const sidebarToggle = (
    <Button
      variant="ghost"
      size="icon"
      className="max-md:hidden"
      aria-label={sidebarToggleLabel}
      title={sidebarToggleLabel}
      aria-expanded={!sidebarCollapsed}
      aria-controls={sidebarId}
      onClick={() => setSidebarCollapsed(!sidebarCollapsed)}
    >
      <SidebarIcon aria-hidden="true" />
    </Button>
  )

  return (
    // The page fills the window below the header: the list and the thread scroll on their own,
    // and the thread keeps its composer at the bottom.
    <div className="flex min-h-0 flex-1 flex-col md:flex-row">
      <h1 className="sr-only">{t('chat.title')}</h1>
      {sidebarCollapsed && (
        <div className="hidden shrink-0 flex-col items-center gap-2 border-r p-2 md:flex">
          {sidebarToggle}
          <Button
            variant="ghost"
            size="icon"
            aria-label={t('chat.newConversation')}
            title={t('chat.newConversation')}
            pending={create.isPending}
            onClick={startConversation}
          >
            {!create.isPending && <MessageSquarePlus aria-hidden="true" />}
          </Button>
        </div>
      )}
      <nav
        id={sidebarId}
        aria-label={t('chat.list.heading')}
        className={cn(
          'flex shrink-0 flex-col gap-3 border-b p-3 md:w-72 md:border-r md:border-b-0',
          sidebarCollapsed && 'md:hidden',
        )}
      >
        <div className="flex items-center gap-2">
          <Button
            variant="outline"
            className="flex-1 justify-between md:hidden"
            aria-expanded={listOpen}
            aria-controls={listId}
            onClick={() => setListOpen((open) => !open)}
          >
            {t('chat.list.toggle', { count: list.length })}
            <ChevronDown
              className={cn('transition-transform', listOpen && 'rotate-180')}
              aria-hidden="true"
            />
          </Button>
          {newButton('md:flex-1')}
          <ChatPresetMenu onStart={startFromPreset} />
          {sidebarToggle}
        </div>
        {/* Below md the list folds away above the thread and opens on demand. */}
        <div
          id={listId}
          className={cn(
            'max-h-[45dvh] min-h-0 overflow-y-auto md:block md:max-h-none md:flex-1',
            !listOpen && 'hidden',
          )}
        >
          {conversations.isPending ? (
            <div role="status" className="flex flex-col gap-2">
              <span className="sr-only">{t('chat.loading')}</span>
              {[0, 1, 2].map((row) => (
                <Skeleton key={row} className="h-11 w-full" />
              ))}
            </div>
          ) : conversations.isError ? (
            <ErrorState error={conversations.error} onRetry={() => conversations.refetch()} />
          ) : (
            <ChatConversationList
              conversations={list}
              onDelete={setDeleting}
              onOpen={() => setListOpen(false)}
            />
          )}
        </div>
      </nav>
      <div className="flex min-h-0 min-w-0 flex-1 flex-col">
        {config.data && !config.data.providerConfigured && (
          <div className="mx-auto w-full max-w-3xl shrink-0 px-4 pt-4">
            <ChatProviderBanner />
          </div>
        )}
        <div className="mx-auto flex min-h-0 w-full max-w-3xl flex-1 flex-col px-4 pt-4">
          {conversationId ? (
            <OpenConversation
              key={conversationId}
              id={conversationId}
              title={current?.title}
              config={config.data}
              configError={config.error}
              onRetryConfig={() => config.refetch()}
              serverCount={servers.data?.length}
            />
          ) : conversations.isPending ? null : (
            <div className="overflow-y-auto pb-4">
              {list.length === 0 ? (
                <EmptyState icon={MessageSquare} title={t('chat.empty.title')}>
                  <p>{t('chat.empty.body')}</p>
                  {newButton()}
                  {servers.data?.length === 0 && <NoServersHint />}
                </EmptyState>
              ) : (
                <EmptyState icon={MessageSquare} title={t('chat.pick.title')}>
                  <p>{t('chat.pick.body')}</p>
                  {newButton()}
                  {servers.data?.length === 0 && <NoServersHint />}
                </EmptyState>
              )}
            </div>
          )}
        </div>
      </div>
      <ConfirmDialog
        open={deleting !== null}
        title={t('chat.deleteTitle', { title: displayTitle(deleting?.title ?? '') })}
        body={t('chat.deleteBody')}
        confirmLabel={t('chat.deleteConfirm')}
        pending={remove.isPending}
        error={remove.error}
        onConfirm={confirmDelete}
        onClose={() => {
          setDeleting(null)
          remove.reset()
        }}
      />
    </div>
  )
}

function NoServersHint() {
  const { t } = useTranslation()
  return (
    <>
      <p>{t('chat.empty.noServers')}</p>
      <Button asChild variant="outline" size="sm">
        <Link to="/servers">{t('chat.goToServers')}</Link>
      </Button>
    </>
  )
}

/** Loads one conversation and opens its thread once it and the chat settings are here. */
function OpenConversation({
  id,
  title,
  config,
  configError,
  onRetryConfig,
  serverCount,
}: {
  id: string
  title: string | undefined
  config: ChatConfig | undefined
  configError: unknown
  onRetryConfig: () => void
  serverCount: number | undefined
}) {
  const { t } = useTranslation()
  const displayTitle = useConversationTitle()
  const detail = useQuery(chatQueries.detail(id))
  if (detail.isError) {
    const gone =
      detail.error instanceof ApiError &&
      (detail.error.code === 'not_found' ||
        detail.error.code === 'bad_request' ||
        detail.error.code === 'validation_failed')
    if (gone) {
      return (
        <EmptyState icon={SearchX} title={t('chat.notFound.title')}>
          <p>{t('chat.notFound.body')}</p>
          <Button asChild variant="outline" size="sm">
            <Link to="/chat">{t('chat.notFound.back')}</Link>
          </Button>
        </EmptyState>
      )
    }
    return <ErrorState error={detail.error} onRetry={() => detail.refetch()} />
  }
  if (configError) return <ErrorState error={configError} onRetry={onRetryConfig} />
  if (detail.isPending || !config) {
    return (
      <div role="status" className="flex flex-col gap-4">
        <span className="sr-only">{t('chat.loadingConversation')}</span>
        <Skeleton className="h-8 w-64 max-w-full" />
        <Skeleton className="ml-auto h-10 w-2/3" />
        <Skeleton className="h-24 w-full" />
        <Skeleton className="h-24 w-full" />
      </div>
    )
  }
  return (
    <ChatThread
      conversation={detail.data}
      title={displayTitle(title ?? detail.data.title)}
      config={config}
      serverCount={serverCount}
    />
  )
}

const SIDEBAR_KEY = 'switchboard.chatSidebar'

/** Whether the conversation list is folded away on wide screens; remembered in this browser. */
function useSidebarCollapsed(): [boolean, (collapsed: boolean) => void] {
  const [collapsed, setCollapsed] = useState(() => {
    try {
      return window.localStorage.getItem(SIDEBAR_KEY) === 'collapsed'
    } catch {
      return false
    }
  })
  const set = (next: boolean) => {
    try {
      window.localStorage.setItem(SIDEBAR_KEY, next ? 'collapsed' : 'open')
    } catch {
      // Not remembered; still folded for this visit.
    }
    setCollapsed(next)
  }
  return [collapsed, set]
}
