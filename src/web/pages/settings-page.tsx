import { useTranslation } from 'react-i18next'
import { toast } from 'sonner'
import { AccountCard } from '../components/account-card.tsx'
import { ApiTokensCard } from '../components/api-tokens-card.tsx'
import { AuditList } from '../components/audit-list.tsx'
import { ConnectedClientsCard } from '../components/connected-clients-card.tsx'
import { LanguageSelect } from '../components/language-select.tsx'
import { McpEndpointCard } from '../components/mcp-endpoint-card.tsx'
import { ModelKeyCard } from '../components/model-key-card.tsx'
import { PageHeader } from '../components/page-header.tsx'
import { PresetsCard } from '../components/presets-card.tsx'
import { ServerInfoCard } from '../components/server-info-card.tsx'
import { ThemeSelect } from '../components/theme-select.tsx'
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
      {/* Two columns on wide screens: emails and token names keep their room, nothing wraps mid-word. */}
      <div className="grid grid-cols-1 items-start gap-6 lg:grid-cols-2">
        <AccountCard user={user} />
        <div className="flex flex-col gap-6">
          <Card>
            <CardHeader>
              <CardTitle>{t('layout.appearance.title')}</CardTitle>
              <CardDescription>{t('layout.appearance.description')}</CardDescription>
            </CardHeader>
            <CardContent className="flex flex-col gap-5">
              <div className="flex flex-col gap-2">
                <p className="text-sm font-medium">{t('layout.theme.label')}</p>
                <ThemeSelect />
              </div>
              {/* i18n.t, not the rendered t: the toast should speak the language just chosen. */}
              <LanguageSelect
                onChanged={() => toast.success(i18n.t('settings.language.changed'))}
              />
            </CardContent>
          </Card>
          <ServerInfoCard />
        </div>
        <div className="lg:col-span-2">
          <PresetsCard />
        </div>
        <div className="lg:col-span-2 empty:hidden">
          <ModelKeyCard />
        </div>
        <div className="lg:col-span-2">
          <McpEndpointCard />
        </div>
        <div className="lg:col-span-2">
          <ConnectedClientsCard />
        </div>
        <div className="lg:col-span-2">
          <ApiTokensCard />
        </div>
        <Card className="lg:col-span-2">
          <CardHeader>
            <CardTitle>{t('audit.title')}</CardTitle>
            <CardDescription>{t('audit.description')}</CardDescription>
          </CardHeader>
          <CardContent>
            <AuditList scope="own" />
          </CardContent>
        </Card>
      </div>
    </>
  )
}
