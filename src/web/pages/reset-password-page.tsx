import { type FormEvent, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, useNavigate, useSearchParams } from 'react-router'
import { toast } from 'sonner'
import type { z } from 'zod'
import { PasswordResetSchema } from '../../shared/admin-users.ts'
import { PASSWORD_MIN_LENGTH } from '../../shared/auth.ts'
import { useResetPassword } from '../api/admin-users.ts'
import { AuthLayout } from '../components/auth-layout.tsx'
import { ErrorAlert } from '../components/error-alert.tsx'
import { TextField } from '../components/text-field.tsx'
import { Button } from '../components/ui/button.tsx'
import { focusFirstIssue, useFieldErrors } from '../hooks/use-field-errors.ts'

/** Where an admin's password-reset link lands: a new password, once, then sign in with it. */
export function ResetPasswordPage() {
  const { t } = useTranslation()
  const [params] = useSearchParams()
  const token = params.get('token')
  if (!token) {
    return (
      <AuthLayout title={t('accountLinks.reset.missingTitle')}>
        <p className="text-sm text-muted-foreground">{t('accountLinks.reset.missingBody')}</p>
        <Button asChild variant="outline">
          <Link to="/login">{t('accountLinks.reset.toSignIn')}</Link>
        </Button>
      </AuthLayout>
    )
  }
  return (
    <AuthLayout
      title={t('accountLinks.reset.title')}
      description={t('accountLinks.reset.description')}
    >
      <ResetPasswordForm token={token} />
    </AuthLayout>
  )
}

function ResetPasswordForm({ token }: { token: string }) {
  const { t } = useTranslation()
  const navigate = useNavigate()
  const reset = useResetPassword()
  const [issues, setIssues] = useState<z.core.$ZodIssue[]>([])
  const [mismatch, setMismatch] = useState(false)
  const fieldErrors = useFieldErrors(issues, reset.error)

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const form = event.currentTarget
    const values = new FormData(form)
    const parsed = PasswordResetSchema.safeParse({ token, password: values.get('password') })
    setIssues(parsed.error?.issues ?? [])
    if (!parsed.success) return focusFirstIssue(form, parsed.error.issues)
    const same = values.get('repeat') === parsed.data.password
    setMismatch(!same)
    if (!same) {
      form.querySelector<HTMLInputElement>('input[name="repeat"]')?.focus()
      return
    }
    reset.mutate(parsed.data, {
      onSuccess: () => {
        toast.success(t('accountLinks.reset.done'))
        void navigate('/login', { replace: true })
      },
    })
  }

  return (
    <form onSubmit={onSubmit} noValidate className="flex flex-col gap-4">
      <TextField
        label={t('accountLinks.reset.password')}
        name="password"
        type="password"
        autoComplete="new-password"
        minLength={PASSWORD_MIN_LENGTH}
        required
        hint={t('auth.fields.passwordHint', { count: PASSWORD_MIN_LENGTH })}
        error={fieldErrors.password}
      />
      <TextField
        label={t('accountLinks.reset.repeat')}
        name="repeat"
        type="password"
        autoComplete="new-password"
        required
        error={mismatch ? t('accountLinks.reset.mismatch') : undefined}
      />
      <ErrorAlert error={reset.error} />
      <Button type="submit" pending={reset.isPending} className="w-full">
        {t('accountLinks.reset.submit')}
      </Button>
    </form>
  )
}
