import { useQuery } from '@tanstack/react-query'
import { type FormEvent, useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { toast } from 'sonner'
import { MESSAGE_LIMIT_MAX, type MessageLimit } from '../../../shared/usage.ts'
import { adminModelQueries, useSetMessageLimit } from '../../api/admin-models.ts'
import { useErrorMessage } from '../../hooks/use-error-message.ts'
import { ErrorState } from '../error-state.tsx'
import { Button } from '../ui/button.tsx'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '../ui/card.tsx'
import { Input } from '../ui/input.tsx'
import { Spinner } from '../ui/spinner.tsx'

/** Per-user daily message limits: empty is none; over the limit, chat answers 429. */
export function MessageLimitsCard() {
  const { t } = useTranslation()
  const limits = useQuery(adminModelQueries.limits())
  return (
    <Card>
      <CardHeader>
        <CardTitle>{t('adminUsage.limits.title')}</CardTitle>
        <CardDescription>{t('adminUsage.limits.description')}</CardDescription>
      </CardHeader>
      <CardContent>
        {limits.isPending ? (
          <div className="flex justify-center py-6">
            <Spinner label={t('common.loading')} />
          </div>
        ) : limits.isError ? (
          <ErrorState error={limits.error} onRetry={() => limits.refetch()} />
        ) : limits.data.users.length === 0 ? (
          <p className="text-sm text-muted-foreground">{t('adminUsage.limits.empty')}</p>
        ) : (
          <ul className="flex flex-col divide-y" aria-label={t('adminUsage.limits.title')}>
            {limits.data.users.map((user) => (
              <LimitRow key={user.userId} user={user} />
            ))}
          </ul>
        )}
      </CardContent>
    </Card>
  )
}

function LimitRow({ user }: { user: MessageLimit }) {
  const { t } = useTranslation()
  const id = useId()
  const set = useSetMessageLimit()
  const errorMessage = useErrorMessage()
  const [value, setValue] = useState(user.dailyMessages === null ? '' : String(user.dailyMessages))
  const submit = (event: FormEvent) => {
    event.preventDefault()
    const dailyMessages = value.trim() === '' ? null : Number(value)
    set.mutate(
      { userId: user.userId, dailyMessages },
      {
        onSuccess: () =>
          toast.success(
            dailyMessages === null
              ? t('adminUsage.limits.lifted', { email: user.email })
              : t('adminUsage.limits.saved', { email: user.email, count: dailyMessages }),
          ),
      },
    )
  }
  return (
    <li className="flex flex-col gap-2 py-3 sm:flex-row sm:items-center sm:justify-between">
      <div className="min-w-0">
        <label htmlFor={id} className="block truncate text-sm font-medium">
          {user.email}
        </label>
        <p className="text-xs text-muted-foreground">
          {t('adminUsage.limits.usedToday', { count: user.usedToday })}
        </p>
      </div>
      <form onSubmit={submit} className="flex items-start gap-2" noValidate>
        <div className="flex flex-col gap-1">
          <Input
            id={id}
            type="number"
            inputMode="numeric"
            min={1}
            max={MESSAGE_LIMIT_MAX}
            placeholder={t('adminUsage.limits.none')}
            value={value}
            onChange={(event) => setValue(event.target.value)}
            className="w-36"
            aria-invalid={set.isError ? true : undefined}
            aria-describedby={set.isError ? `${id}-error` : undefined}
          />
          {set.isError && (
            <p id={`${id}-error`} className="max-w-48 text-xs text-destructive">
              {errorMessage(set.error)}
            </p>
          )}
        </div>
        <Button type="submit" size="sm" variant="outline" pending={set.isPending}>
          {t('adminUsage.limits.save')}
        </Button>
      </form>
    </li>
  )
}
