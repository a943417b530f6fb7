import { useTranslation } from 'react-i18next'
import type { UserView } from '../../shared/auth.ts'
import { useFormatDateTime } from '../hooks/use-format-date-time.ts'
import { RoleBadge } from './role-badge.tsx'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from './ui/card.tsx'

export function AccountCard({ user }: { user: UserView }) {
  const { t } = useTranslation()
  const formatDateTime = useFormatDateTime()
  const rows = [
    { term: t('settings.account.email'), value: user.email },
    { term: t('settings.account.name'), value: user.name },
    {
      term: t('settings.account.role'),
      value:
        user.role === 'admin' ? <RoleBadge role={user.role} /> : t('settings.account.roles.user'),
    },
    { term: t('settings.account.memberSince'), value: formatDateTime(user.createdAt) },
  ]
  return (
    <Card>
      <CardHeader>
        <CardTitle>{t('settings.account.title')}</CardTitle>
        <CardDescription>{t('settings.account.description')}</CardDescription>
      </CardHeader>
      <CardContent>
        <dl className="grid gap-x-6 gap-y-3 text-sm sm:grid-cols-[max-content_1fr]">
          {rows.map(({ term, value }) => (
            <div key={term} className="contents">
              <dt className="text-muted-foreground">{term}</dt>
              <dd className="-mt-2 min-w-0 break-words sm:mt-0">{value}</dd>
            </div>
          ))}
        </dl>
      </CardContent>
    </Card>
  )
}
