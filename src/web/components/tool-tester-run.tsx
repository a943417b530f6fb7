import { useQuery } from '@tanstack/react-query'
import { Square, Timer } from 'lucide-react'
import { useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { toast } from 'sonner'
import type { ToolCallView } from '../../shared/tool-calls.ts'
import { isFinalCall, toolCallQueries, useCancelToolCall } from '../api/tool-calls.ts'
import { useErrorMessage } from '../hooks/use-error-message.ts'
import { useToolHasApp } from '../hooks/use-tool-has-app.ts'
import { McpApp } from './mcp-app.tsx'
import { ProgressBar } from './progress-bar.tsx'
import { useFormatDuration } from './tool-call-duration.ts'
import { ToolCallStatusBadge } from './tool-call-status-badge.tsx'
import { ToolCallErrorAlert, ToolResultView } from './tool-result-view.tsx'
import { Button } from './ui/button.tsx'

const TICK_MS = 100

/** The current time, re-read every tick while `running`. */
function useNow(running: boolean): number {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    if (!running) return
    setNow(Date.now())
    const timer = window.setInterval(() => setNow(Date.now()), TICK_MS)
    return () => window.clearInterval(timer)
  }, [running])
  return now
}

export interface ToolTesterRunProps {
  toolName: string
  /** The call being followed; null before the server has answered the run. */
  callId: string | null
  /** When Run was pressed (local clock), for the elapsed time. */
  startedAt: number
  /** The run request is on its way. */
  starting: boolean
}

/**
 * One run of the tester: elapsed time, progress as the server reports it, Cancel, and the result.
 * The call is followed by events, with a periodic fetch in case one was missed.
 */
export function ToolTesterRun({ toolName, callId, startedAt, starting }: ToolTesterRunProps) {
  const { t } = useTranslation()
  const formatDuration = useFormatDuration()
  const errorMessage = useErrorMessage()
  const call = useQuery({ ...toolCallQueries.detail(callId ?? ''), enabled: callId !== null })
  const cancel = useCancelToolCall()
  const data = callId ? call.data : undefined
  const running = starting || !data || !isFinalCall(data)
  const now = useNow(running)
  useFinishToast(data, toolName)
  const hasApp = useToolHasApp(data?.serverId, data?.toolId)

  const elapsed = data && !running ? (data.durationMs ?? now - startedAt) : now - startedAt
  const progress = data?.progress
  const cancelling = cancel.isPending || (cancel.isSuccess && running)
  const progressText = !progress
    ? t(starting ? 'tester.run.starting' : 'tester.run.waiting')
    : progress.total
      ? t('tester.run.progressOf', { progress: progress.progress, total: progress.total })
      : t('tester.run.progressSoFar', { progress: progress.progress })

  return (
    <div
      className="flex flex-col gap-4"
      data-testid="tester-run"
      data-call-id={callId ?? undefined}
    >
      <div className="flex flex-wrap items-center gap-3">
        {data ? (
          <ToolCallStatusBadge status={data.status} />
        ) : (
          <ToolCallStatusBadge status="pending" />
        )}
        <span
          className="inline-flex items-center gap-1.5 text-sm text-muted-foreground tabular-nums"
          data-testid="elapsed"
        >
          <Timer className="size-4" aria-hidden="true" />
          <span className="sr-only">{t('tester.run.elapsed')}</span>
          {formatDuration(Math.max(0, elapsed))}
        </span>
        {running && data && (
          <Button
            variant="outline"
            size="sm"
            className="ml-auto"
            pending={cancelling}
            onClick={() =>
              cancel.mutate(data.id, { onError: (error) => toast.error(errorMessage(error)) })
            }
          >
            {!cancelling && <Square aria-hidden="true" />}
            {t('tester.run.cancel')}
          </Button>
        )}
      </div>

      {running && (
        <div className="flex flex-col gap-1.5">
          <ProgressBar
            label={t('tester.run.progressLabel', { name: toolName })}
            value={progress?.progress}
            total={progress?.total}
            valueText={progressText}
          />
          <p className="text-sm text-muted-foreground" aria-live="polite">
            {progress?.message ? `${progress.message} (${progressText})` : progressText}
          </p>
        </div>
      )}

      {data && !running && (
        <>
          <p className="sr-only" aria-live="polite">
            {t('tester.run.finished', {
              status: t(`toolCalls.status.${data.status}`),
              duration: formatDuration(elapsed),
            })}
          </p>
          <ToolCallErrorAlert call={data} />
          {data.output && hasApp && data.serverId && data.toolId && (
            <McpApp
              serverId={data.serverId}
              toolId={data.toolId}
              toolName={toolName}
              input={data.input}
              output={data.output}
            />
          )}
          {data.output && <ToolResultView output={data.output} serverId={data.serverId} />}
          <Link
            to={`/tool-calls?call=${encodeURIComponent(data.id)}`}
            className="self-start text-sm underline underline-offset-4"
          >
            {t('tester.run.inHistory')}
          </Link>
        </>
      )}
    </div>
  )
}

/** One toast per call when it ends, so a finished run is noticed even when scrolled away. */
function useFinishToast(call: ToolCallView | undefined, toolName: string): void {
  const { t } = useTranslation()
  const formatDuration = useFormatDuration()
  const announced = useRef(new Set<string>())
  useEffect(() => {
    if (!call || !isFinalCall(call) || announced.current.has(call.id)) return
    announced.current.add(call.id)
    const duration = formatDuration(call.durationMs ?? 0)
    if (call.status === 'succeeded' && !call.output?.isError) {
      toast.success(t('tester.toast.succeeded', { name: toolName, duration }))
    } else if (call.status === 'cancelled') {
      toast.info(t('tester.toast.cancelled', { name: toolName }))
    } else {
      toast.error(
        t('tester.toast.failed', { name: toolName, status: t(`toolCalls.status.${call.status}`) }),
      )
    }
  }, [call, toolName, t, formatDuration])
}
