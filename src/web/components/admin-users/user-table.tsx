import { useTranslation } from 'react-i18next'
import type { AdminUserView } from '../../../shared/admin.ts'
import { useFormatDateTime } from '../../hooks/use-format-date-time.ts'
import { Badge } from '../ui/badge.tsx'
import { type UserAction, UserActionsMenu } from './user-actions-menu.tsx'

/** Every account with its status and counts; on narrow screens the details fold under the email. */
export function UserTable({
  users,
  selfId,
  onAction,
}: {
  users: readonly AdminUserView[]
  selfId: string
  onAction: (user: AdminUserView, action: UserAction) => void
}) {
  const { t } = useTranslation()
  const formatDateTime = useFormatDateTime()
  const lastSignIn = (user: AdminUserView) =>
    user.lastSignInAt ? formatDateTime(user.lastSignInAt) : t('adminUsers.never')
  return (
    <div className="overflow-x-auto rounded-lg border">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">{t('adminUsers.listLabel')}</caption>
        <thead className="bg-muted/50 text-muted-foreground">
          <tr>
            <th scope="col" className="px-3 py-2 font-medium">
              {t('adminUsers.columns.user')}
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              {t('adminUsers.columns.role')}
            </th>
            <th scope="col" className="hidden px-3 py-2 font-medium md:table-cell">
              {t('adminUsers.columns.lastSignIn')}
            </th>
            <th scope="col" className="hidden px-3 py-2 text-right font-medium sm:table-cell">
              {t('adminUsers.columns.servers')}
            </th>
            <th scope="col" className="hidden px-3 py-2 text-right font-medium sm:table-cell">
              {t('adminUsers.columns.calls')}
            </th>
            <th scope="col" className="px-3 py-2 text-right font-medium">
              <span className="sr-only">{t('adminUsers.columns.actions')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {users.map((user) => (
            <tr key={user.id} className="border-t" data-user-email={user.email}>
              <th scope="row" className="px-3 py-2 align-top font-medium">
                <span className="break-all">{user.email}</span>
                {user.id === selfId && (
                  <span className="ml-1 font-normal text-muted-foreground">
                    ({t('adminUsers.you')})
                  </span>
                )}
                <span className="mt-0.5 block text-xs font-normal text-muted-foreground">
                  {user.name}
                </span>
                <span className="mt-0.5 block text-xs font-normal text-muted-foreground md:hidden">
                  {t('adminUsers.columns.lastSignIn')}: {lastSignIn(user)}
                  <span className="sm:hidden">
                    {' · '}
                    {t('adminUsers.columns.servers')}: {user.serverCount}
                    {' · '}
                    {t('adminUsers.columns.calls')}: {user.callCount}
                  </span>
                </span>
              </th>
              <td className="px-3 py-2 align-top">
                <div className="flex flex-wrap gap-1">
                  <Badge variant={user.role === 'admin' ? 'secondary' : 'outline'}>
                    {t(`settings.account.roles.${user.role}`)}
                  </Badge>
                  {user.status === 'disabled' && (
                    <Badge variant="destructive">{t('adminUsers.status.disabled')}</Badge>
                  )}
                </div>
              </td>
              <td className="hidden px-3 py-2 align-top whitespace-nowrap md:table-cell">
                {lastSignIn(user)}
              </td>
              <td className="hidden px-3 py-2 text-right align-top tabular-nums sm:table-cell">
                {user.serverCount}
              </td>
              <td className="hidden px-3 py-2 text-right align-top tabular-nums sm:table-cell">
                {user.callCount}
              </td>
              <td className="px-1 py-1 text-right align-top">
                <UserActionsMenu
                  user={user}
                  isSelf={user.id === selfId}
                  onAction={(action) => onAction(user, action)}
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
