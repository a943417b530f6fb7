import { useQuery } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { toast } from 'sonner'
import { adminUserQueries, useRevokeInvitation } from '../../api/admin-users.ts'
import { useErrorMessage } from '../../hooks/use-error-message.ts'
import { useFormatDateTime } from '../../hooks/use-format-date-time.ts'
import { ErrorState } from '../error-state.tsx'
import { Badge } from '../ui/badge.tsx'
import { Button } from '../ui/button.tsx'

/** Invitations not used yet, each with a button to withdraw it. */
export function PendingInvitations() {
  const { t } = useTranslation()
  const formatDateTime = useFormatDateTime()
  const invitations = useQuery(adminUserQueries.invitations())
  const revoke = useRevokeInvitation()
  const errorMessage = useErrorMessage()

  if (invitations.isError) {
    return <ErrorState error={invitations.error} onRetry={() => invitations.refetch()} />
  }
  const list = invitations.data ?? []
  return (
    <section aria-labelledby="pending-invitations" className="flex flex-col gap-2">
      <h3 id="pending-invitations" className="text-sm font-semibold">
        {t('adminUsers.invitations.title')}
      </h3>
      {list.length === 0 ? (
        <p className="text-sm text-muted-foreground">{t('adminUsers.invitations.empty')}</p>
      ) : (
        <ul
          className="flex flex-col divide-y rounded-lg border"
          aria-label={t('adminUsers.invitations.listLabel')}
        >
          {list.map((invitation) => (
            <li key={invitation.id} className="flex flex-wrap items-center gap-2 px-3 py-2 text-sm">
              <span className="min-w-0 flex-1 break-all font-medium">{invitation.email}</span>
              <Badge variant="outline">{t(`settings.account.roles.${invitation.role}`)}</Badge>
              <span className="text-xs text-muted-foreground">
                {t('adminUsers.invitations.expires', {
                  date: formatDateTime(invitation.expiresAt),
                })}
                {invitation.createdBy &&
                  ` · ${t('adminUsers.invitations.by', { email: invitation.createdBy })}`}
              </span>
              <Button
                variant="ghost"
                size="sm"
                aria-label={t('adminUsers.invitations.withdrawLabel', { email: invitation.email })}
                pending={revoke.isPending && revoke.variables === invitation.id}
                onClick={() =>
                  revoke.mutate(invitation.id, {
                    onSuccess: () => toast.success(t('adminUsers.invitations.withdrawn')),
                    onError: (error) => toast.error(errorMessage(error)),
                  })
                }
              >
                {t('adminUsers.invitations.withdraw')}
              </Button>
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}
