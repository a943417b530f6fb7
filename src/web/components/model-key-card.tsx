import { useQuery } from '@tanstack/react-query'
import { type FormEvent, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { toast } from 'sonner'
import {
  useRemoveUserModelKey,
  userModelKeyQueries,
  useSetUserModelKey,
} from '../api/admin-models.ts'
import { useFieldErrors } from '../hooks/use-field-errors.ts'
import { ConfirmDialog } from './confirm-dialog.tsx'
import { ErrorAlert } from './error-alert.tsx'
import { TextField } from './text-field.tsx'
import { Badge } from './ui/badge.tsx'
import { Button } from './ui/button.tsx'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from './ui/card.tsx'

/**
 * Settings → your own OpenRouter key, when the admin allows it (or one is still set). The key is
 * write-only: the page only learns whether one is set.
 */
export function ModelKeyCard() {
  const { t } = useTranslation()
  const key = useQuery(userModelKeyQueries.get())
  const set = useSetUserModelKey()
  const remove = useRemoveUserModelKey()
  const [value, setValue] = useState('')
  const [confirming, setConfirming] = useState(false)
  const errors = useFieldErrors([], set.error)
  if (!key.data || (!key.data.allowed && !key.data.hasKey)) return null
  const { allowed, hasKey } = key.data

  const submit = (event: FormEvent) => {
    event.preventDefault()
    if (!value.trim()) return
    set.mutate(
      { apiKey: value.trim() },
      {
        onSuccess: () => {
          setValue('')
          toast.success(t('modelKey.saved'))
        },
      },
    )
  }
  return (
    <Card>
      <CardHeader>
        <CardTitle className="flex flex-wrap items-center gap-2">
          {t('modelKey.title')}
          <Badge variant={hasKey ? 'success' : 'secondary'}>
            {hasKey ? t('modelKey.set') : t('modelKey.notSet')}
          </Badge>
        </CardTitle>
        <CardDescription>
          {allowed ? t('modelKey.description') : t('modelKey.notAllowed')}
        </CardDescription>
      </CardHeader>
      <CardContent className="flex flex-col gap-4">
        {allowed && (
          <form onSubmit={submit} className="flex flex-col gap-3" noValidate>
            <TextField
              label={t('modelKey.label')}
              name="apiKey"
              type="password"
              value={value}
              onChange={(event) => setValue(event.target.value)}
              error={errors.apiKey}
              hint={hasKey ? t('modelKey.replaceHint') : t('modelKey.hint')}
              autoComplete="new-password"
            />
            <ErrorAlert error={errors.apiKey ? null : set.error} />
            <div className="flex flex-wrap gap-2">
              <Button type="submit" pending={set.isPending} disabled={!value.trim()}>
                {t('modelKey.save')}
              </Button>
              {hasKey && (
                <Button type="button" variant="outline" onClick={() => setConfirming(true)}>
                  {t('modelKey.remove')}
                </Button>
              )}
            </div>
          </form>
        )}
        {!allowed && hasKey && (
          <Button
            type="button"
            variant="outline"
            className="self-start"
            onClick={() => setConfirming(true)}
          >
            {t('modelKey.remove')}
          </Button>
        )}
        <ConfirmDialog
          open={confirming}
          title={t('modelKey.removeTitle')}
          body={t('modelKey.removeBody')}
          confirmLabel={t('modelKey.remove')}
          pending={remove.isPending}
          error={remove.error}
          onConfirm={() =>
            remove.mutate(undefined, {
              onSuccess: () => {
                setConfirming(false)
                toast.success(t('modelKey.removed'))
              },
            })
          }
          onClose={() => setConfirming(false)}
        />
      </CardContent>
    </Card>
  )
}
