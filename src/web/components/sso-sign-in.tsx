import { CircleAlert, KeyRound } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import { useLocation } from 'react-router'
import type { SsoError } from '../../shared/auth.ts'
import { useSsoSignIn } from '../api/auth.ts'
import { ErrorAlert } from './error-alert.tsx'
import { Alert } from './ui/alert.tsx'
import { Button } from './ui/button.tsx'

type Explained = Exclude<SsoError, `state_${string}` | 'banned_user'> | 'state' | 'general'

// What each code the callback sends back to `/login?error=` is explained as. The provider's own
// description is never shown: it comes from a URL anyone can write.
const EXPLAINED: Record<string, Explained> = {
  access_denied: 'access_denied',
  state_mismatch: 'state',
  state_not_found: 'state',
  state_invalid: 'state',
  issuer_mismatch: 'issuer_mismatch',
  email_not_found: 'email_not_found',
  email_not_verified: 'email_not_verified',
  account_not_linked: 'account_not_linked',
  account_disabled: 'account_disabled',
  // better-auth's admin plugin refuses a banned user's session with this code.
  banned_user: 'account_disabled',
  signup_disabled: 'signup_disabled',
}

/** "Sign in with <provider>": off to the provider, back signed in at `returnTo` (or chat). */
export function SsoSignInButton({
  name,
  returnTo,
}: {
  name: string
  returnTo?: string | undefined
}) {
  const { t } = useTranslation()
  const start = useSsoSignIn()
  return (
    <div className="flex flex-col gap-3">
      <Button
        type="button"
        variant="outline"
        className="w-full"
        pending={start.isPending}
        onClick={() => start.mutate(returnTo ? { returnTo } : {})}
      >
        <KeyRound aria-hidden="true" />
        {t('auth.sso.button', { name })}
      </Button>
      <ErrorAlert error={start.error} />
    </div>
  )
}

/** Why the last single sign-on came back refused, when the page was opened with `?error=`. */
export function SsoRefusal({ name }: { name: string }) {
  const { t } = useTranslation()
  const code = new URLSearchParams(useLocation().search).get('error')
  if (!code) return null
  const explained = EXPLAINED[code] ?? 'general'
  return (
    <Alert variant="destructive" role="alert">
      <CircleAlert aria-hidden="true" />
      <div className="flex flex-col gap-1">
        <p className="font-medium">{t('auth.sso.errorTitle')}</p>
        <p>{t(`auth.sso.errors.${explained}`, { name })}</p>
      </div>
    </Alert>
  )
}
