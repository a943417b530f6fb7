import { useQuery } from '@tanstack/react-query'
import { BadgeCheck, TriangleAlert } from 'lucide-react'
import { type FormEvent, useId } from 'react'
import { useTranslation } from 'react-i18next'
import { useLocation } from 'react-router'
import type { ConsentRequest } from '../../shared/mcp-clients.ts'
import { mcpClientQueries, useAnswerConsent } from '../api/mcp-clients.ts'
import { profileQueries } from '../api/mcp-endpoint.ts'
import { AuthLayout } from '../components/auth-layout.tsx'
import { ErrorAlert } from '../components/error-alert.tsx'
import { ErrorState } from '../components/error-state.tsx'
import { Alert } from '../components/ui/alert.tsx'
import { Button } from '../components/ui/button.tsx'
import { Label } from '../components/ui/label.tsx'
import { Select } from '../components/ui/select.tsx'
import { Spinner } from '../components/ui/spinner.tsx'
import { useSignedInUser } from '../hooks/use-signed-in-user.ts'

/**
 * `/oauth/consent`: an MCP client signing in to the user's endpoint (Switchboard's authorization
 * server sends the browser here with its signed query). Says who asks, whether anyone vouches for
 * that name, where the answer goes, and lets the user choose what the client gets.
 */
export function OAuthConsentPage() {
  const { t } = useTranslation()
  const oauthQuery = useLocation().search.slice(1)
  const request = useQuery({ ...mcpClientQueries.consent(oauthQuery), enabled: oauthQuery !== '' })
  const title = request.data
    ? t('oauthConsent.title', { name: request.data.name ?? t('oauthConsent.unnamed') })
    : t('oauthConsent.titleLoading')
  return (
    <AuthLayout title={title}>
      {oauthQuery === '' ? (
        <Alert variant="destructive">
          <TriangleAlert aria-hidden="true" />
          <p>{t('oauthConsent.noRequest')}</p>
        </Alert>
      ) : request.isPending ? (
        <div className="flex justify-center py-6">
          <Spinner label={t('common.loading')} />
        </div>
      ) : request.isError ? (
        <ErrorState error={request.error} onRetry={() => request.refetch()} />
      ) : (
        <ConsentForm request={request.data} oauthQuery={oauthQuery} />
      )}
    </AuthLayout>
  )
}

function ConsentForm({ request, oauthQuery }: { request: ConsentRequest; oauthQuery: string }) {
  const { t } = useTranslation()
  const id = useId()
  const { user } = useSignedInUser()
  const profiles = useQuery(profileQueries.list())
  const answer = useAnswerConsent()
  const name = request.name ?? t('oauthConsent.unnamed')

  const respond = (accept: boolean, profileId: string | null) =>
    answer.mutate(
      { accept, profileId, oauthQuery },
      // The client's own redirect (a loopback address or an app link): a full navigation.
      { onSuccess: ({ url }) => window.location.assign(url) },
    )
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const profileId = new FormData(event.currentTarget).get('profileId')
    respond(true, typeof profileId === 'string' && profileId !== '' ? profileId : null)
  }

  return (
    <form onSubmit={onSubmit} className="flex flex-col gap-5">
      <p className="text-sm">{t('oauthConsent.body', { name, email: user.email })}</p>
      {request.verifiedBy ? (
        <p className="flex items-start gap-2 text-sm text-muted-foreground">
          <BadgeCheck className="mt-0.5 size-4 shrink-0 text-primary" aria-hidden="true" />
          {t('oauthConsent.verified', { host: request.verifiedBy })}
        </p>
      ) : (
        <Alert>
          <TriangleAlert aria-hidden="true" />
          <p>{t('oauthConsent.unverified', { name })}</p>
        </Alert>
      )}
      <p className="text-sm text-muted-foreground">
        {isLoopback(request.redirectHost)
          ? t('oauthConsent.returnsLocal', { host: request.redirectHost })
          : t('oauthConsent.returnsTo', { host: request.redirectHost })}
      </p>
      <div className="flex flex-col gap-2">
        <Label htmlFor={`${id}-profile`}>{t('oauthConsent.profileLabel')}</Label>
        <Select
          id={`${id}-profile`}
          name="profileId"
          defaultValue={request.profileId ?? ''}
          aria-describedby={`${id}-profile-hint`}
        >
          <option value="">{t('oauthConsent.profileAll')}</option>
          {profiles.data?.map((profile) => (
            <option key={profile.id} value={profile.id}>
              {t('oauthConsent.profileOnly', { name: profile.name })}
            </option>
          ))}
        </Select>
        <p id={`${id}-profile-hint`} className="text-xs text-muted-foreground">
          {t('oauthConsent.profileHint')}
        </p>
      </div>
      <ErrorAlert error={answer.error} />
      <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
        <Button
          type="button"
          variant="outline"
          disabled={answer.isPending}
          onClick={() => respond(false, null)}
        >
          {t('oauthConsent.deny')}
        </Button>
        <Button type="submit" pending={answer.isPending}>
          {t('oauthConsent.allow')}
        </Button>
      </div>
    </form>
  )
}

function isLoopback(host: string): boolean {
  const name = host.replace(/:\d+$/, '')
  return name === 'localhost' || name === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(name)
}
