import { useTranslation } from 'react-i18next'
import { toast } from 'sonner'
import { AccountCard } from '../components/account-card.tsx'
import { ApiTokensCard } from '../components/api-tokens-card.tsx'
import { AuditList } from '../components/audit-list.tsx'
import { LanguageSelect } from '../components/language-select.tsx'
import { PageHeader } from '../components/page-header.tsx'
import { ServerInfoCard } from '../components/server-info-card.tsx'
import {
  Card,
  CardContent,
  CardDescription,
  CardHeader,
  CardTitle,
} from '../components/ui/card.tsx'
import { useSignedInUser } from '../hooks/use-signed-in-user.ts'

export function SettingsPage() {
  const { t, i18n } = useTranslation()
  const { user } = useSignedInUser()
  return (
    <>
      <PageHeader title={t('settings.title')} description={t('settings.description')} />
      <div className="flex max-w-3xl flex-col gap-6">
        <AccountCard user={user} />
        <ApiTokensCard />
        <Card>
          <CardHeader>
            <CardTitle>{t('settings.language.title')}</CardTitle>
            <CardDescription>{t('settings.language.description')}</CardDescription>
          </CardHeader>
          <CardContent>
            {/* i18n.t, not the rendered t: the toast should speak the language just chosen. */}
            <LanguageSelect onChanged={() => toast.success(i18n.t('settings.language.changed'))} />
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>{t('audit.title')}</CardTitle>
            <CardDescription>{t('audit.description')}</CardDescription>
          </CardHeader>
          <CardContent>
            <AuditList scope="own" />
          </CardContent>
        </Card>
        <ServerInfoCard />
      </div>
    </>
  )
}
