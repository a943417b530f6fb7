import { useQuery } from '@tanstack/react-query'
import { KeyRound } from 'lucide-react'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { toast } from 'sonner'
import type { ApiTokenCreated, ApiTokenView } from '../../shared/auth.ts'
import { tokenQueries } from '../api/tokens.ts'
import { ApiTokenCreateForm } from './api-token-create-form.tsx'
import { ApiTokenSecretDialog } from './api-token-secret-dialog.tsx'
import { ApiTokenTable } from './api-token-table.tsx'
import { EmptyState } from './empty-state.tsx'
import { ErrorState } from './error-state.tsx'
import { RevokeTokenDialog } from './revoke-token-dialog.tsx'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from './ui/card.tsx'
import { Spinner } from './ui/spinner.tsx'

export function ApiTokensCard() {
  const { t } = useTranslation()
  const tokens = useQuery(tokenQueries.list())
  const [created, setCreated] = useState<ApiTokenCreated | null>(null)
  const [revoking, setRevoking] = useState<ApiTokenView | null>(null)

  const onCreated = (next: ApiTokenCreated) => {
    setCreated(next)
    toast.success(t('settings.tokens.created', { name: next.token.name }))
  }

  return (
    <Card>
      <CardHeader>
        <CardTitle>{t('settings.tokens.title')}</CardTitle>
        <CardDescription>{t('settings.tokens.description')}</CardDescription>
      </CardHeader>
      <CardContent className="flex flex-col gap-5">
        <ApiTokenCreateForm onCreated={onCreated} />
        {tokens.isPending ? (
          <div className="flex justify-center py-6">
            <Spinner label={t('common.loading')} />
          </div>
        ) : tokens.isError ? (
          <ErrorState error={tokens.error} onRetry={() => tokens.refetch()} />
        ) : tokens.data.length === 0 ? (
          <EmptyState icon={KeyRound} title={t('settings.tokens.emptyTitle')}>
            <p>{t('settings.tokens.emptyBody')}</p>
          </EmptyState>
        ) : (
          <ApiTokenTable tokens={tokens.data} onRevoke={setRevoking} />
        )}
      </CardContent>
      <ApiTokenSecretDialog created={created} onClose={() => setCreated(null)} />
      <RevokeTokenDialog token={revoking} onClose={() => setRevoking(null)} />
    </Card>
  )
}
