import { useQuery } from '@tanstack/react-query'
import { Sparkles } from 'lucide-react'
import { type FormEvent, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, useLocation } from 'react-router'
import type { z } from 'zod'
import { LoginSchema } from '../../shared/auth.ts'
import { authQueries, useLogin } from '../api/auth.ts'
import { AuthLayout } from '../components/auth-layout.tsx'
import { ErrorAlert } from '../components/error-alert.tsx'
import { SsoRefusal, SsoSignInButton } from '../components/sso-sign-in.tsx'
import { TextField } from '../components/text-field.tsx'
import { Alert } from '../components/ui/alert.tsx'
import { Button } from '../components/ui/button.tsx'
import { focusFirstIssue, useFieldErrors } from '../hooks/use-field-errors.ts'
import { useReturnTo } from '../hooks/use-return-to.ts'

export function LoginPage() {
  const { t } = useTranslation()
  const location = useLocation()
  const options = useQuery(authQueries.options())
  const login = useLogin()
  const [issues, setIssues] = useState<z.core.$ZodIssue[]>([])
  const fieldErrors = useFieldErrors(issues, login.error)

  // On success `GuestOnly` sees the user and sends them on; nothing to do here.
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const form = event.currentTarget
    const values = new FormData(form)
    const parsed = LoginSchema.safeParse({
      email: values.get('email'),
      password: values.get('password'),
    })
    setIssues(parsed.error?.issues ?? [])
    if (parsed.success) login.mutate(parsed.data)
    else focusFirstIssue(form, parsed.error.issues)
  }

  const registration = options.data?.registration ?? false
  // Single sign-on (auth.oidc): its button, and the password form only while that is allowed.
  const sso = options.data?.sso ?? null
  const passwordLogin = options.data?.passwordLogin ?? true
  const fromState = useReturnTo()
  // Signing in for an MCP client's authorization request: come back to this page, which resumes it.
  const returnTo =
    fromState ??
    (location.search.includes('sig=') ? location.pathname + location.search : undefined)
  const footer = registration && (
    <>
      {t('auth.login.noAccount')}{' '}
      {/* Pass the state on, so signing up also returns to the page that was wanted. */}
      <Link
        to="/register"
        state={location.state}
        className="font-medium text-foreground underline underline-offset-4"
      >
        {t('auth.login.register')}
      </Link>
    </>
  )

  return (
    <AuthLayout
      title={t('auth.login.title')}
      description={
        passwordLogin || !sso
          ? t('auth.login.description')
          : t('auth.sso.description', { name: sso.name })
      }
      footer={footer}
    >
      {options.data && !options.data.hasUsers && registration && (
        <Alert>
          <Sparkles aria-hidden="true" />
          <div className="flex flex-col gap-1">
            <p className="font-medium">{t('auth.login.firstUserTitle')}</p>
            <p className="text-muted-foreground">{t('auth.login.firstUserBody')}</p>
          </div>
        </Alert>
      )}
      {sso && (
        <>
          <SsoRefusal name={sso.name} />
          <SsoSignInButton name={sso.name} returnTo={returnTo} />
          {passwordLogin && (
            <div className="flex items-center gap-3 text-xs uppercase text-muted-foreground">
              <span className="h-px flex-1 bg-border" />
              {t('auth.sso.or')}
              <span className="h-px flex-1 bg-border" />
            </div>
          )}
        </>
      )}
      {passwordLogin && (
        <form onSubmit={onSubmit} noValidate className="flex flex-col gap-4">
          <TextField
            label={t('auth.fields.email')}
            name="email"
            type="email"
            autoComplete="username"
            inputMode="email"
            required
            error={fieldErrors.email}
          />
          <TextField
            label={t('auth.fields.password')}
            name="password"
            type="password"
            autoComplete="current-password"
            required
            error={fieldErrors.password}
          />
          <ErrorAlert error={login.error} />
          <Button type="submit" pending={login.isPending} className="w-full">
            {t('auth.login.submit')}
          </Button>
        </form>
      )}
    </AuthLayout>
  )
}
