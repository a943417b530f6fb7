import { useQuery } from '@tanstack/react-query'
import { BadgeCheck, PlugZap, Trash2 } from 'lucide-react'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { toast } from 'sonner'
import type { ConnectedClient } from '../../shared/mcp-clients.ts'
import { mcpClientQueries, useRevokeClient } from '../api/mcp-clients.ts'
import { useFormatDateTime } from '../hooks/use-format-date-time.ts'
import { ConfirmDialog } from './confirm-dialog.tsx'
import { EmptyState } from './empty-state.tsx'
import { ErrorState } from './error-state.tsx'
import { Button } from './ui/button.tsx'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from './ui/card.tsx'
import { Spinner } from './ui/spinner.tsx'

/** Settings → Connected apps: MCP clients signed in with OAuth, each with Revoke. */
export function ConnectedClientsCard() {
  const { t } = useTranslation()
  const clients = useQuery(mcpClientQueries.list())
  const [revoking, setRevoking] = useState<ConnectedClient | null>(null)
  return (
    <Card>
      <CardHeader>
        <CardTitle>{t('settings.clients.title')}</CardTitle>
        <CardDescription>{t('settings.clients.description')}</CardDescription>
      </CardHeader>
      <CardContent>
        {clients.isPending ? (
          <div className="flex justify-center py-6">
            <Spinner label={t('common.loading')} />
          </div>
        ) : clients.isError ? (
          <ErrorState error={clients.error} onRetry={() => clients.refetch()} />
        ) : clients.data.length === 0 ? (
          <EmptyState icon={PlugZap} title={t('settings.clients.emptyTitle')}>
            <p>{t('settings.clients.emptyBody')}</p>
          </EmptyState>
        ) : (
          <ul
            className="flex flex-col divide-y rounded-lg border"
            aria-label={t('settings.clients.title')}
          >
            {clients.data.map((client) => (
              <ClientRow key={client.clientId} client={client} onRevoke={setRevoking} />
            ))}
          </ul>
        )}
      </CardContent>
      <RevokeClientDialog client={revoking} onClose={() => setRevoking(null)} />
    </Card>
  )
}

function ClientRow({
  client,
  onRevoke,
}: {
  client: ConnectedClient
  onRevoke: (client: ConnectedClient) => void
}) {
  const { t } = useTranslation()
  const formatDateTime = useFormatDateTime()
  const name = client.name ?? t('oauthConsent.unnamed')
  return (
    <li className="flex flex-wrap items-start gap-3 px-3 py-2.5 text-sm">
      <div className="min-w-0 flex-1">
        <p className="font-medium break-all">{name}</p>
        <p className="text-xs text-muted-foreground">
          {client.verifiedBy ? (
            <span className="inline-flex items-center gap-1">
              <BadgeCheck className="size-3.5 text-primary" aria-hidden="true" />
              {t('settings.clients.verified', { host: client.verifiedBy })}
            </span>
          ) : (
            t('settings.clients.selfRegistered')
          )}
          {' · '}
          {client.profile
            ? t('settings.clients.profileOnly', { name: client.profile.name })
            : t('settings.clients.profileAll')}
        </p>
        <p className="text-xs text-muted-foreground">
          {t('settings.clients.connectedOn', { date: formatDateTime(client.connectedAt) })}
          {' · '}
          {client.lastUsedAt
            ? t('settings.clients.lastUsedOn', { date: formatDateTime(client.lastUsedAt) })
            : t('settings.clients.neverUsed')}
        </p>
      </div>
      <Button
        variant="ghost"
        size="sm"
        className="text-destructive hover:text-destructive"
        aria-label={t('settings.clients.revokeLabel', { name })}
        onClick={() => onRevoke(client)}
      >
        <Trash2 aria-hidden="true" />
        <span className="hidden sm:inline">{t('settings.clients.revoke')}</span>
      </Button>
    </li>
  )
}

function RevokeClientDialog({
  client,
  onClose,
}: {
  client: ConnectedClient | null
  onClose: () => void
}) {
  const { t } = useTranslation()
  const revoke = useRevokeClient()
  const name = client?.name ?? t('oauthConsent.unnamed')
  const close = () => {
    revoke.reset()
    onClose()
  }
  return (
    <ConfirmDialog
      open={client !== null}
      title={t('settings.clients.revokeTitle', { name })}
      body={t('settings.clients.revokeBody')}
      confirmLabel={t('settings.clients.revoke')}
      pending={revoke.isPending}
      error={revoke.error}
      onClose={close}
      onConfirm={() => {
        if (!client) return
        revoke.mutate(client.clientId, {
          onSuccess: () => {
            toast.success(t('settings.clients.revoked', { name }))
            close()
          },
        })
      }}
    />
  )
}
