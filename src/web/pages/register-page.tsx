import { useQuery } from '@tanstack/react-query'
import { ShieldCheck } from 'lucide-react'
import { type FormEvent, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, useLocation, useSearchParams } from 'react-router'
import { toast } from 'sonner'
import type { z } from 'zod'
import { PASSWORD_MIN_LENGTH, RegisterSchema } from '../../shared/auth.ts'
import { invitationQueries } from '../api/admin-users.ts'
import { authQueries, useRegister } from '../api/auth.ts'
import { AuthLayout } from '../components/auth-layout.tsx'
import { ErrorAlert } from '../components/error-alert.tsx'
import { ErrorState } from '../components/error-state.tsx'
import { TextField } from '../components/text-field.tsx'
import { Alert } from '../components/ui/alert.tsx'
import { Button } from '../components/ui/button.tsx'
import { Spinner } from '../components/ui/spinner.tsx'
import { focusFirstIssue, useFieldErrors } from '../hooks/use-field-errors.ts'

export function RegisterPage() {
  const [params] = useSearchParams()
  const invite = params.get('invite')
  return invite ? <InvitedRegisterPage token={invite} /> : <OpenRegisterPage />
}

/** Registering with an admin's one-time link: for the invited address, whatever the policy. */
function InvitedRegisterPage({ token }: { token: string }) {
  const { t } = useTranslation()
  const invitation = useQuery(invitationQueries.info(token))
  if (invitation.isPending) {
    return (
      <AuthLayout title={t('accountLinks.invite.title')}>
        <div className="flex justify-center py-6">
          <Spinner label={t('common.loading')} />
        </div>
      </AuthLayout>
    )
  }
  if (invitation.isError) {
    return (
      <AuthLayout title={t('accountLinks.invite.invalidTitle')}>
        <p className="text-sm text-muted-foreground">{t('accountLinks.invite.invalidBody')}</p>
        <Button asChild variant="outline">
          <Link to="/login">{t('auth.register.backToSignIn')}</Link>
        </Button>
      </AuthLayout>
    )
  }
  return (
    <AuthLayout
      title={t('accountLinks.invite.title')}
      description={t('accountLinks.invite.description', { email: invitation.data.email })}
    >
      <RegisterForm invite={{ token, email: invitation.data.email }} />
    </AuthLayout>
  )
}

function OpenRegisterPage() {
  const { t } = useTranslation()
  const location = useLocation()
  const options = useQuery(authQueries.options())

  const signInLink = (
    <Link
      to="/login"
      state={location.state}
      className="font-medium text-foreground underline underline-offset-4"
    >
      {t('auth.register.signIn')}
    </Link>
  )

  // Only until the options are first known: a failed refetch later must not take the form (and
  // what was typed in it) away.
  if (!options.data) {
    return (
      <AuthLayout title={t('auth.register.title')}>
        {options.isPending ? (
          <div className="flex justify-center py-6">
            <Spinner label={t('common.loading')} />
          </div>
        ) : (
          <ErrorState error={options.error} onRetry={() => options.refetch()} />
        )}
      </AuthLayout>
    )
  }

  if (!options.data.registration) {
    return (
      <AuthLayout title={t('auth.register.closedTitle')}>
        <p className="text-sm text-muted-foreground">{t('auth.register.closedBody')}</p>
        <Button asChild variant="outline">
          <Link to="/login" state={location.state}>
            {t('auth.register.backToSignIn')}
          </Link>
        </Button>
      </AuthLayout>
    )
  }

  return (
    <AuthLayout
      title={t('auth.register.title')}
      description={t('auth.register.description')}
      footer={
        <>
          {t('auth.register.haveAccount')} {signInLink}
        </>
      }
    >
      {options.data.domains.length > 0 && (
        <p className="text-sm text-muted-foreground">
          {t('accountLinks.domainsHint', { domains: options.data.domains.join(', ') })}
        </p>
      )}
      {!options.data.hasUsers && (
        <Alert>
          <ShieldCheck aria-hidden="true" />
          <div className="flex flex-col gap-1">
            <p className="font-medium">{t('auth.register.firstUserTitle')}</p>
            <p className="text-muted-foreground">{t('auth.register.firstUserBody')}</p>
          </div>
        </Alert>
      )}
      <RegisterForm />
    </AuthLayout>
  )
}

function RegisterForm({ invite }: { invite?: { token: string; email: string } }) {
  const { t } = useTranslation()
  const register = useRegister()
  const [issues, setIssues] = useState<z.core.$ZodIssue[]>([])
  const fieldErrors = useFieldErrors(issues, register.error)

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const form = event.currentTarget
    const values = new FormData(form)
    const name = String(values.get('name') ?? '').trim()
    const parsed = RegisterSchema.safeParse({
      email: invite?.email ?? values.get('email'),
      password: values.get('password'),
      name: name === '' ? undefined : name,
      invite: invite?.token,
    })
    setIssues(parsed.error?.issues ?? [])
    if (!parsed.success) return focusFirstIssue(form, parsed.error.issues)
    // mutateAsync: success navigates away (GuestOnly), unmounting this form before mutate callbacks.
    const me = await register.mutateAsync(parsed.data).catch(() => undefined)
    if (me) toast.success(t('auth.register.created'))
  }

  return (
    <form onSubmit={onSubmit} noValidate className="flex flex-col gap-4">
      <TextField
        label={t('auth.fields.name')}
        labelNote={t('common.optional')}
        name="name"
        autoComplete="name"
        maxLength={100}
        error={fieldErrors.name}
      />
      <TextField
        label={t('auth.fields.email')}
        name="email"
        type="email"
        autoComplete="email"
        inputMode="email"
        required
        error={fieldErrors.email}
        {...(invite ? { value: invite.email, readOnly: true } : {})}
      />
      <TextField
        label={t('auth.fields.password')}
        name="password"
        type="password"
        autoComplete="new-password"
        minLength={PASSWORD_MIN_LENGTH}
        required
        hint={t('auth.fields.passwordHint', { count: PASSWORD_MIN_LENGTH })}
        error={fieldErrors.password}
      />
      <ErrorAlert error={register.error} />
      <Button type="submit" pending={register.isPending} className="w-full">
        {t('auth.register.submit')}
      </Button>
    </form>
  )
}
