import { useTranslation } from 'react-i18next'
import type { AdminUserView } from '../../shared/admin.ts'
import { useFormatDateTime } from '../hooks/use-format-date-time.ts'
import { Badge } from './ui/badge.tsx'

/** Every account with its counts; on narrow screens name and date fold under the email. */
export function AdminUserTable({ users }: { users: readonly AdminUserView[] }) {
  const { t } = useTranslation()
  const formatDateTime = useFormatDateTime()
  return (
    <div className="overflow-x-auto rounded-lg border">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">{t('admin.users.listLabel')}</caption>
        <thead className="bg-muted/50 text-muted-foreground">
          <tr>
            <th scope="col" className="px-3 py-2 font-medium">
              {t('admin.users.columnEmail')}
            </th>
            <th scope="col" className="hidden px-3 py-2 font-medium md:table-cell">
              {t('admin.users.columnName')}
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              {t('admin.users.columnRole')}
            </th>
            <th scope="col" className="hidden px-3 py-2 font-medium md:table-cell">
              {t('admin.users.columnCreated')}
            </th>
            <th scope="col" className="px-3 py-2 text-right font-medium">
              {t('admin.users.columnServers')}
            </th>
            <th scope="col" className="px-3 py-2 text-right font-medium">
              {t('admin.users.columnCalls')}
            </th>
          </tr>
        </thead>
        <tbody>
          {users.map((user) => (
            <tr key={user.id} className="border-t">
              <th scope="row" className="px-3 py-2 align-top font-medium">
                <span className="break-all">{user.email}</span>
                <span className="mt-1 block text-xs font-normal text-muted-foreground md:hidden">
                  {user.name}
                  <br />
                  {formatDateTime(user.createdAt)}
                </span>
              </th>
              <td className="hidden px-3 py-2 align-top md:table-cell">{user.name}</td>
              <td className="px-3 py-2 align-top">
                <Badge variant={user.role === 'admin' ? 'secondary' : 'outline'}>
                  {t(`settings.account.roles.${user.role}`)}
                </Badge>
              </td>
              <td className="hidden px-3 py-2 align-top whitespace-nowrap md:table-cell">
                {formatDateTime(user.createdAt)}
              </td>
              <td className="px-3 py-2 text-right align-top tabular-nums">{user.serverCount}</td>
              <td className="px-3 py-2 text-right align-top tabular-nums">{user.callCount}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
