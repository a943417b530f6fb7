import { useQuery } from '@tanstack/react-query'
import { ChevronDown, MessageSquare, MessageSquarePlus, SearchX } from 'lucide-react'
import { useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, useNavigate, useParams } from 'react-router'
import { toast } from 'sonner'
import type { ChatConfig, Conversation } from '../../shared/chat.ts'
import { chatQueries, useCreateConversation, useDeleteConversation } from '../api/chat.ts'
import { ApiError } from '../api/client.ts'
import { serverQueries } from '../api/mcp-servers.ts'
import {
  ChatConversationList,
  useConversationTitle,
} from '../components/chat-conversation-list.tsx'
import { ChatProviderBanner } from '../components/chat-provider-banner.tsx'
import { ChatThread } from '../components/chat-thread.tsx'
import { ConfirmDialog } from '../components/confirm-dialog.tsx'
import { EmptyState } from '../components/empty-state.tsx'
import { ErrorState } from '../components/error-state.tsx'
import { PageHeader } from '../components/page-header.tsx'
import { Button } from '../components/ui/button.tsx'
import { cn } from '../components/ui/cn.ts'
import { Skeleton } from '../components/ui/skeleton.tsx'
import { useErrorMessage } from '../hooks/use-error-message.ts'

/** /chat and /chat/:conversationId: the conversations beside the open one. */
export function ChatPage() {
  const { t } = useTranslation()
  const { conversationId } = useParams()
  const navigate = useNavigate()
  const errorMessage = useErrorMessage()
  const displayTitle = useConversationTitle()
  const listId = useId()
  const config = useQuery(chatQueries.config())
  const conversations = useQuery(chatQueries.conversations())
  const servers = useQuery(serverQueries.list())
  const create = useCreateConversation()
  const remove = useDeleteConversation()
  const [deleting, setDeleting] = useState<Conversation | null>(null)
  // Below md the list folds away above the thread; it opens on demand.
  const [listOpen, setListOpen] = useState(false)

  const startConversation = () =>
    create.mutate(
      {},
      {
        onSuccess: (conversation) => {
          setListOpen(false)
          navigate(`/chat/${encodeURIComponent(conversation.id)}`)
        },
        onError: (error) => toast.error(errorMessage(error)),
      },
    )

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

  return (
    <>
      <PageHeader title={t('chat.title')} description={t('chat.description')} />
      {config.data && !config.data.providerConfigured && <ChatProviderBanner />}
      <div className="flex flex-col gap-6 md:flex-row md:items-start">
        <nav
          aria-label={t('chat.list.heading')}
          className="flex flex-col gap-3 md:sticky md:top-24 md:w-64 md:shrink-0"
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
            {newButton('md:w-full')}
          </div>
          <div
            id={listId}
            className={cn(
              'md:block md:max-h-[calc(100dvh-12rem)] md:overflow-y-auto',
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
        <div className="flex min-w-0 flex-1 flex-col">
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
          ) : conversations.isPending ? null : list.length === 0 ? (
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
    </>
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
