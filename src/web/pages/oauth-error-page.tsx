import { TriangleAlert } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import { useLocation } from 'react-router'
import { AuthLayout } from '../components/auth-layout.tsx'
import { Alert } from '../components/ui/alert.tsx'

// The OAuth errors this page explains; anything else gets the general words. The request's own
// description is not shown: it comes from a link anyone can write.
const KNOWN = ['invalid_request', 'invalid_client', 'unauthorized_client', 'invalid_scope'] as const

/** `/oauth/error`: an MCP client's sign-in request that cannot go on (a bad or stale link). */
export function OAuthErrorPage() {
  const { t } = useTranslation()
  const code = new URLSearchParams(useLocation().search).get('error')
  const known = KNOWN.find((name) => name === code)
  return (
    <AuthLayout title={t('oauthError.title')}>
      <Alert variant="destructive">
        <TriangleAlert aria-hidden="true" />
        <p>{known ? t(`oauthError.codes.${known}`) : t('oauthError.general')}</p>
      </Alert>
      <p className="text-sm text-muted-foreground">{t('oauthError.next')}</p>
    </AuthLayout>
  )
}
