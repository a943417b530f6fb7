import { useQuery } from '@tanstack/react-query'
import { Lock } from 'lucide-react'
import { type FormEvent, useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { toast } from 'sonner'
import type { z } from 'zod'
import {
  type RegistrationMode,
  RegistrationPolicySchema,
  type RegistrationSettings,
} from '../../../shared/admin-users.ts'
import { adminUserQueries, useSaveRegistration } from '../../api/admin-users.ts'
import { useFieldErrors } from '../../hooks/use-field-errors.ts'
import { ErrorAlert } from '../error-alert.tsx'
import { ErrorState } from '../error-state.tsx'
import { Alert } from '../ui/alert.tsx'
import { Button } from '../ui/button.tsx'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '../ui/card.tsx'
import { FieldError } from '../ui/field-error.tsx'
import { Label } from '../ui/label.tsx'
import { RadioGroup, RadioGroupItem } from '../ui/radio-group.tsx'
import { Spinner } from '../ui/spinner.tsx'
import { Textarea } from '../ui/textarea.tsx'

const MODES: { mode: RegistrationMode; key: 'open' | 'inviteOnly' | 'closed' | 'domains' }[] = [
  { mode: 'open', key: 'open' },
  { mode: 'domains', key: 'domains' },
  { mode: 'invite-only', key: 'inviteOnly' },
  { mode: 'closed', key: 'closed' },
]

/** Who may sign up: the admin's choice, or read-only when the operator's config fixes it. */
export function RegistrationCard() {
  const { t } = useTranslation()
  const settings = useQuery(adminUserQueries.registration())
  return (
    <Card>
      <CardHeader>
        <CardTitle>{t('adminUsers.registration.title')}</CardTitle>
        <CardDescription>{t('adminUsers.registration.description')}</CardDescription>
      </CardHeader>
      <CardContent>
        {settings.isPending ? (
          <div className="flex justify-center py-6">
            <Spinner label={t('common.loading')} />
          </div>
        ) : settings.isError ? (
          <ErrorState error={settings.error} onRetry={() => settings.refetch()} />
        ) : (
          // Keyed by what was saved, so a save or a refetch resets the form to it.
          <RegistrationForm key={JSON.stringify(settings.data)} settings={settings.data} />
        )}
      </CardContent>
    </Card>
  )
}

function RegistrationForm({ settings }: { settings: RegistrationSettings }) {
  const { t } = useTranslation()
  const labelId = useId()
  const domainsId = useId()
  const save = useSaveRegistration()
  const [mode, setMode] = useState<RegistrationMode>(settings.policy.mode)
  const [domains, setDomains] = useState(settings.policy.domains.join('\n'))
  const [issues, setIssues] = useState<z.core.$ZodIssue[]>([])
  const fieldErrors = useFieldErrors(issues, save.error)
  const fixed = settings.source === 'env' || settings.source === 'file'
  const [list, setList] = useState<string[]>([])
  // Name the entry that is wrong, not just "not valid".
  const badIndex = issues.find((issue) => issue.path[0] === 'domains' && issue.path.length > 1)
    ?.path[1]
  const domainsError =
    typeof badIndex === 'number'
      ? t('adminUsers.registration.badDomain', { domain: list[badIndex] })
      : (fieldErrors.domains ??
        Object.entries(fieldErrors).find(([field]) => field.startsWith('domains.'))?.[1])

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const entries = domains
      .split(/[\n,]+/)
      .map((domain) => domain.trim())
      .filter(Boolean)
    setList(entries)
    const parsed = RegistrationPolicySchema.safeParse({
      mode,
      domains: mode === 'domains' ? entries : [],
    })
    setIssues(parsed.error?.issues ?? [])
    if (!parsed.success) {
      document.getElementById(domainsId)?.focus()
      return
    }
    // mutateAsync: the save re-keys this form (new settings), unmounting it before a mutate
    // callback would run.
    save
      .mutateAsync(parsed.data)
      .then(() => toast.success(t('adminUsers.registration.saved')))
      .catch(() => undefined)
  }

  return (
    <form onSubmit={onSubmit} noValidate className="flex flex-col gap-4">
      {fixed && (
        <Alert>
          <Lock aria-hidden="true" />
          <p>
            {settings.source === 'env'
              ? t('adminUsers.registration.fixedEnv')
              : t('adminUsers.registration.fixedFile')}
          </p>
        </Alert>
      )}
      <div className="flex flex-col gap-2">
        <span id={labelId} className="text-sm font-medium">
          {t('adminUsers.registration.modeLabel')}
        </span>
        <RadioGroup
          aria-labelledby={labelId}
          value={mode}
          onValueChange={(value) => setMode(value as RegistrationMode)}
          disabled={fixed}
          className="gap-3"
        >
          {MODES.map(({ mode: value, key }) => {
            const id = `${labelId}-${value}`
            return (
              <div key={value} className="flex items-start gap-3">
                <RadioGroupItem id={id} value={value} className="mt-0.5" />
                <div className="flex flex-col gap-0.5">
                  <Label htmlFor={id}>{t(`adminUsers.registration.modes.${key}.label`)}</Label>
                  <p className="text-sm text-muted-foreground">
                    {t(`adminUsers.registration.modes.${key}.hint`)}
                  </p>
                </div>
              </div>
            )
          })}
        </RadioGroup>
      </div>
      {mode === 'domains' && (
        <div className="flex flex-col gap-2">
          <Label htmlFor={domainsId}>{t('adminUsers.registration.domains')}</Label>
          <Textarea
            id={domainsId}
            value={domains}
            rows={3}
            disabled={fixed}
            spellCheck={false}
            placeholder="example.com"
            aria-invalid={domainsError ? true : undefined}
            aria-describedby={`${domainsId}-hint${domainsError ? ` ${domainsId}-error` : ''}`}
            onChange={(event) => setDomains(event.target.value)}
          />
          <p id={`${domainsId}-hint`} className="text-sm text-muted-foreground">
            {t('adminUsers.registration.domainsHint')}
          </p>
          <FieldError id={`${domainsId}-error`}>{domainsError}</FieldError>
        </div>
      )}
      <ErrorAlert error={save.error} />
      {!fixed && (
        <div>
          <Button type="submit" pending={save.isPending}>
            {t('adminUsers.registration.save')}
          </Button>
        </div>
      )}
    </form>
  )
}
