import {
  ChevronRight,
  CircleAlert,
  CircleCheck,
  LogIn,
  Pencil,
  PlugZap,
  RefreshCw,
  Trash2,
  Users,
  X,
} from 'lucide-react'
import { type ReactNode, useId } from 'react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import type { McpServerTestResult, McpServerView } from '../../shared/mcp-servers.ts'
import { useStartOAuth } from '../api/mcp-servers.ts'
import { useFormatDateTime } from '../hooks/use-format-date-time.ts'
import { useFormatRelativeTime } from '../hooks/use-format-relative-time.ts'
import { useServerActions } from '../hooks/use-server-actions.ts'
import { reasonText } from '../i18n/reason-text.ts'
import { ServerStatusBadge } from './server-status-badge.tsx'
import { Badge } from './ui/badge.tsx'
import { Button } from './ui/button.tsx'
import { cn } from './ui/cn.ts'
import { Switch } from './ui/switch.tsx'

export interface ServerCardProps {
  server: McpServerView
  onEdit: (server: McpServerView) => void
  onDelete: (server: McpServerView) => void
  /** On the server's own page the name is the page heading, not a link to it. */
  variant?: 'list' | 'detail'
}

/** One server: what it is, how it is doing, and what can be done with it. */
export function ServerCard({ server, onEdit, onDelete, variant = 'list' }: ServerCardProps) {
  const { t } = useTranslation()
  const titleId = useId()
  const actions = useServerActions(server)
  const startOAuth = useStartOAuth()
  const shared = server.source === 'config'
  const Heading = variant === 'list' ? 'h2' : 'h1'
  const testResult = actions.test.isPending ? undefined : actions.test.data
  const testFailed = testResult?.ok === false

  return (
    <article
      aria-labelledby={titleId}
      data-server={server.name}
      className={cn(
        'flex flex-col gap-3 rounded-xl border p-4 text-card-foreground shadow-xs sm:p-5',
        server.enabled ? 'bg-card' : 'bg-muted/40',
      )}
    >
      <div className="flex items-start gap-3">
        <div className="flex min-w-0 flex-1 flex-col gap-1.5">
          <div className="flex flex-wrap items-center gap-2">
            <Heading
              id={titleId}
              className={cn(
                'min-w-0 font-semibold break-words',
                variant === 'list' ? 'text-base' : 'text-2xl tracking-tight',
              )}
            >
              {variant === 'list' ? (
                <Link to={`/servers/${server.id}`} className="rounded-sm hover:underline">
                  {server.name}
                </Link>
              ) : (
                server.name
              )}
            </Heading>
            <ServerStatusBadge status={server.status} />
            {shared && (
              <Badge variant="outline" title={t('servers.sharedHint')}>
                <Users aria-hidden="true" />
                {t('servers.shared')}
              </Badge>
            )}
          </div>
          <p className="flex flex-wrap items-center gap-x-2 gap-y-1 text-sm text-muted-foreground">
            {server.url && <span className="font-mono break-all">{server.url}</span>}
            <Badge variant="secondary">{t(`servers.transports.${server.transport}`)}</Badge>
          </p>
          {server.description && <p className="text-sm">{server.description}</p>}
          {variant === 'detail' && server.serverInfo && (
            <p className="text-xs text-muted-foreground">
              {t('servers.detail.serverInfo', {
                name: server.serverInfo.title ?? server.serverInfo.name,
                version: server.serverInfo.version,
              })}
              {server.serverInfo.protocolVersion &&
                ` · ${t(
                  server.serverInfo.era === 'modern'
                    ? 'servers.detail.protocolStateless'
                    : 'servers.detail.protocol',
                  { version: server.serverInfo.protocolVersion },
                )}`}
            </p>
          )}
        </div>
        <Switch
          checked={actions.enabled}
          disabled={shared || actions.togglePending}
          onCheckedChange={actions.setEnabled}
          aria-label={t('servers.card.enabledLabel', { name: server.name })}
          className="mt-1"
        />
      </div>

      <ServerFacts server={server} />

      {/* A failed test just now says the same, fresher: show that one only. */}
      {server.status !== 'online' && server.lastError && !testFailed && (
        <p className="flex gap-2 rounded-md bg-destructive/10 px-3 py-2 text-sm text-destructive">
          <CircleAlert className="mt-0.5 size-4 shrink-0" aria-hidden="true" />
          <span className="min-w-0 break-words">
            <span className="sr-only">{t('servers.card.lastError')}: </span>
            {reasonText(t, server.lastErrorReason, server.lastError)}
          </span>
        </p>
      )}

      {testResult && <TestResult result={testResult} onDismiss={() => actions.test.reset()} />}

      <div className="flex flex-wrap items-center gap-2 border-t pt-3">
        {variant === 'list' && (
          <Button asChild variant="secondary" size="sm">
            <Link
              to={`/servers/${server.id}`}
              aria-label={t('servers.card.toolsLabel', { name: server.name })}
            >
              {t('servers.card.tools')}
              <ChevronRight aria-hidden="true" />
            </Link>
          </Button>
        )}
        <Button
          variant="outline"
          size="sm"
          pending={actions.test.isPending}
          onClick={actions.runTest}
          aria-label={t('servers.card.testLabel', { name: server.name })}
        >
          {!actions.test.isPending && <PlugZap aria-hidden="true" />}
          {t('servers.card.test')}
        </Button>
        {!shared && server.auth.type === 'oauth' && (
          <Button
            size="sm"
            variant={server.status === 'needs_auth' ? 'default' : 'outline'}
            pending={startOAuth.isPending}
            onClick={() => startOAuth.mutate(server.id)}
            aria-label={t('servers.card.connectLabel', { name: server.name })}
          >
            {!startOAuth.isPending && <LogIn aria-hidden="true" />}
            {server.auth.connected ? t('servers.card.reconnect') : t('servers.card.connect')}
          </Button>
        )}
        {shared ? (
          <p className="ml-auto text-xs text-muted-foreground">{t('servers.sharedHint')}</p>
        ) : (
          <>
            <Button
              variant="outline"
              size="sm"
              pending={actions.sync.isPending}
              onClick={actions.runSync}
              aria-label={t('servers.card.syncLabel', { name: server.name })}
            >
              {!actions.sync.isPending && <RefreshCw aria-hidden="true" />}
              {t('servers.card.sync')}
            </Button>
            <div className="ml-auto flex gap-1">
              <Button
                variant="ghost"
                size="sm"
                onClick={() => onEdit(server)}
                aria-label={t('servers.card.editLabel', { name: server.name })}
              >
                <Pencil aria-hidden="true" />
                <span className="hidden sm:inline">{t('servers.card.edit')}</span>
              </Button>
              <Button
                variant="ghost"
                size="sm"
                className="text-destructive hover:text-destructive"
                onClick={() => onDelete(server)}
                aria-label={t('servers.card.deleteLabel', { name: server.name })}
              >
                <Trash2 aria-hidden="true" />
                <span className="hidden sm:inline">{t('servers.card.delete')}</span>
              </Button>
            </div>
          </>
        )}
      </div>
    </article>
  )
}

/** Tool counts, latency and when it was last checked, on one wrapping line. */
function ServerFacts({ server }: { server: McpServerView }) {
  const { t } = useTranslation()
  const formatRelative = useFormatRelativeTime()
  const formatDateTime = useFormatDateTime()
  const facts: Array<{ key: string; node: ReactNode }> = [
    {
      key: 'tools',
      node:
        server.toolCount === 0
          ? t('servers.card.noTools')
          : t('servers.card.toolCount', {
              count: server.toolCount,
              enabled: server.enabledToolCount,
            }),
    },
  ]
  if (server.lastLatencyMs !== null) {
    facts.push({
      key: 'latency',
      node: (
        <>
          <span className="sr-only">{t('servers.card.latencyLabel')}: </span>
          {t('servers.card.latency', { ms: server.lastLatencyMs })}
        </>
      ),
    })
  }
  facts.push({
    key: 'checked',
    node: server.lastCheckedAt ? (
      <time dateTime={server.lastCheckedAt} title={formatDateTime(server.lastCheckedAt)}>
        {t('servers.card.checked', { time: formatRelative(server.lastCheckedAt) })}
      </time>
    ) : (
      t('servers.card.neverChecked')
    ),
  })
  return (
    <ul className="flex flex-wrap gap-x-2 gap-y-1 text-sm text-muted-foreground">
      {facts.map(({ key, node }, index) => (
        <li key={key} data-fact={key} className="flex gap-2">
          {index > 0 && <span aria-hidden="true">·</span>}
          <span>{node}</span>
        </li>
      ))}
    </ul>
  )
}

/** The outcome of the last "Test connection", until dismissed or tested again. */
function TestResult({ result, onDismiss }: { result: McpServerTestResult; onDismiss: () => void }) {
  const { t } = useTranslation()
  const skipped = result.skippedTools
  return (
    <div
      role="status"
      className={cn(
        'flex items-start gap-2 rounded-md px-3 py-2 text-sm',
        result.ok ? 'bg-success text-success-foreground' : 'bg-destructive/10 text-destructive',
      )}
    >
      {result.ok ? (
        <CircleCheck className="mt-0.5 size-4 shrink-0" aria-hidden="true" />
      ) : (
        <CircleAlert className="mt-0.5 size-4 shrink-0" aria-hidden="true" />
      )}
      <div className="flex min-w-0 flex-1 flex-col gap-0.5 break-words">
        <p>
          {result.ok
            ? t('servers.test.resultOk', {
                ms: result.latencyMs ?? 0,
                count: result.toolCount ?? 0,
              })
            : t('servers.test.resultFailed', {
                message: reasonText(t, result.error?.reason, result.error?.message ?? ''),
              })}
        </p>
        {skipped.length > 0 && (
          <p>
            {t('servers.test.skipped', {
              count: skipped.length,
              names: skipped.map((s) => `${s.name} (${s.reason})`).join(', '),
            })}
          </p>
        )}
      </div>
      <button
        type="button"
        onClick={onDismiss}
        aria-label={t('servers.test.dismiss')}
        className="rounded-sm opacity-70 hover:opacity-100"
      >
        <X className="size-4" aria-hidden="true" />
      </button>
    </div>
  )
}
