import { useQuery } from '@tanstack/react-query'
import { MessageSquare, Play, Square, XIcon } from 'lucide-react'
import { Dialog as DialogPrimitive } from 'radix-ui'
import { type ReactNode, useEffect, useRef } from 'react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { toast } from 'sonner'
import type { ToolCallView } from '../../shared/tool-calls.ts'
import { isFinalCall, toolCallQueries, useCancelToolCall } from '../api/tool-calls.ts'
import { useErrorMessage } from '../hooks/use-error-message.ts'
import { useFormatDateTime } from '../hooks/use-format-date-time.ts'
import { ErrorState } from './error-state.tsx'
import { ProgressBar } from './progress-bar.tsx'
import { useFormatDuration } from './tool-call-duration.ts'
import { ToolCallStatusBadge } from './tool-call-status-badge.tsx'
import { JsonBlock, ToolCallErrorAlert, ToolResultView } from './tool-result-view.tsx'
import { Badge } from './ui/badge.tsx'
import { Button } from './ui/button.tsx'
import { OVERLAY_CLASSES } from './ui/dialog.tsx'
import { Skeleton } from './ui/skeleton.tsx'

/** A sheet from the right edge (the whole width on a phone) with one call's details. */
export function ToolCallDetailSheet({
  callId,
  placeholder,
  onClose,
}: {
  callId: string | null
  /** The call as the list has it, shown while the full one loads. */
  placeholder: ToolCallView | undefined
  onClose: () => void
}) {
  const { t } = useTranslation()
  // Opened from a list row, not a Radix trigger: hand focus back to that row on close.
  const lastId = useRef(callId)
  useEffect(() => {
    if (callId) lastId.current = callId
  }, [callId])
  const focusRow = (event: Event) => {
    const row = lastId.current
      ? document.querySelector<HTMLElement>(`[data-call-id="${CSS.escape(lastId.current)}"]`)
      : null
    if (!row) return
    event.preventDefault()
    row.focus()
  }
  return (
    <DialogPrimitive.Root open={callId !== null} onOpenChange={(open) => !open && onClose()}>
      <DialogPrimitive.Portal>
        <DialogPrimitive.Overlay className={OVERLAY_CLASSES} />
        <DialogPrimitive.Content
          aria-describedby={undefined}
          onCloseAutoFocus={focusRow}
          className="fixed inset-y-0 right-0 z-50 flex w-full max-w-2xl flex-col gap-5 overflow-y-auto border-l bg-card p-6 text-card-foreground shadow-lg"
        >
          {callId && <CallDetail callId={callId} placeholder={placeholder} />}
          <DialogPrimitive.Close
            className="absolute top-4 right-4 rounded-sm opacity-70 transition-opacity hover:opacity-100 [&_svg]:size-4"
            aria-label={t('common.close')}
          >
            <XIcon aria-hidden="true" />
          </DialogPrimitive.Close>
        </DialogPrimitive.Content>
      </DialogPrimitive.Portal>
    </DialogPrimitive.Root>
  )
}

function CallDetail({
  callId,
  placeholder,
}: {
  callId: string
  placeholder: ToolCallView | undefined
}) {
  const { t } = useTranslation()
  const query = useQuery({
    ...toolCallQueries.detail(callId),
    placeholderData: placeholder?.id === callId ? placeholder : undefined,
  })
  if (query.isPending) {
    return (
      <div role="status" className="flex flex-col gap-3">
        <DialogPrimitive.Title className="sr-only">{t('common.loading')}</DialogPrimitive.Title>
        <Skeleton className="h-7 w-48" />
        <Skeleton className="h-4 w-72" />
        <Skeleton className="h-40 w-full" />
      </div>
    )
  }
  if (query.isError) {
    return (
      <>
        <DialogPrimitive.Title className="text-lg font-semibold">
          {t('toolCalls.detail.title')}
        </DialogPrimitive.Title>
        <ErrorState error={query.error} onRetry={() => query.refetch()} />
      </>
    )
  }
  return <CallDetailBody call={query.data} />
}

function CallDetailBody({ call }: { call: ToolCallView }) {
  const { t } = useTranslation()
  const formatDateTime = useFormatDateTime()
  const formatDuration = useFormatDuration()
  const errorMessage = useErrorMessage()
  const cancel = useCancelToolCall()
  const running = !isFinalCall(call)
  const testerUrl = call.serverId
    ? `/servers/${encodeURIComponent(call.serverId)}/tools/${encodeURIComponent(call.toolName)}/try?from=${encodeURIComponent(call.id)}`
    : null

  return (
    <>
      <div className="flex flex-col gap-2 pr-8">
        <DialogPrimitive.Title className="font-mono text-lg leading-tight font-semibold break-all">
          {call.toolName}
        </DialogPrimitive.Title>
        <p className="text-sm text-muted-foreground">{call.serverName}</p>
        <div className="flex flex-wrap items-center gap-2">
          <ToolCallStatusBadge status={call.status} />
          <Badge variant="outline">{t(`toolCalls.source.${call.source}`)}</Badge>
          {call.clientName && (
            <span className="text-sm text-muted-foreground">
              {t('toolCalls.viaClient', { client: call.clientName })}
            </span>
          )}
        </div>
      </div>

      <div className="flex flex-wrap gap-2">
        {testerUrl ? (
          <Button asChild size="sm">
            <Link to={testerUrl}>
              <Play aria-hidden="true" />
              {t('toolCalls.detail.openInTester')}
            </Link>
          </Button>
        ) : (
          <p className="text-sm text-muted-foreground">{t('toolCalls.detail.serverGone')}</p>
        )}
        {call.conversationId && (
          <Button asChild variant="outline" size="sm">
            <Link to={`/chat/${encodeURIComponent(call.conversationId)}`}>
              <MessageSquare aria-hidden="true" />
              {t('toolCalls.detail.openConversation')}
            </Link>
          </Button>
        )}
        {running && (
          <Button
            variant="outline"
            size="sm"
            pending={cancel.isPending}
            onClick={() =>
              cancel.mutate(call.id, {
                onSuccess: () => toast.success(t('toolCalls.detail.cancelRequested')),
                onError: (error) => toast.error(errorMessage(error)),
              })
            }
          >
            {!cancel.isPending && <Square aria-hidden="true" />}
            {t('tester.run.cancel')}
          </Button>
        )}
      </div>

      {running && (
        <ProgressBar
          label={t('tester.run.progressLabel', { name: call.toolName })}
          value={call.progress?.progress}
          total={call.progress?.total}
          valueText={call.progress?.message}
        />
      )}

      <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1.5 text-sm">
        <Fact label={t('toolCalls.detail.created')}>{formatDateTime(call.createdAt)}</Fact>
        {call.startedAt && (
          <Fact label={t('toolCalls.detail.started')}>{formatDateTime(call.startedAt)}</Fact>
        )}
        {call.finishedAt && (
          <Fact label={t('toolCalls.detail.finished')}>{formatDateTime(call.finishedAt)}</Fact>
        )}
        {call.durationMs !== null && (
          <Fact label={t('toolCalls.detail.duration')}>{formatDuration(call.durationMs)}</Fact>
        )}
        {ranInBackground(call) && (
          <Fact label={t('toolCalls.detail.mode')}>{t('toolCalls.mode.async')}</Fact>
        )}
        <Fact label={t('toolCalls.detail.id')}>
          <span className="font-mono text-xs break-all">{call.id}</span>
        </Fact>
      </dl>

      <ToolCallErrorAlert call={call} />

      <Section title={t('toolCalls.detail.input')}>
        <JsonBlock value={call.input} />
      </Section>
      <Section title={t('toolCalls.detail.output')}>
        {call.output ? (
          <ToolResultView output={call.output} serverId={call.serverId} />
        ) : (
          <p className="text-sm text-muted-foreground">
            {t(running ? 'toolCalls.detail.noOutputYet' : 'toolCalls.detail.noOutput')}
          </p>
        )}
      </Section>
    </>
  )
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <dt className="text-muted-foreground">{label}</dt>
      <dd className="min-w-0">{children}</dd>
    </>
  )
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="flex flex-col gap-2">
      <h3 className="text-sm font-semibold">{title}</h3>
      {children}
    </section>
  )
}

/**
 * Whether saying "ran in the background" tells the reader something: the caller did not wait
 * and the call took long enough to notice (an async call done in 11 ms is just a call).
 */
function ranInBackground(call: ToolCallView): boolean {
  return call.mode === 'async' && (call.durationMs === null || call.durationMs >= 1_000)
}
