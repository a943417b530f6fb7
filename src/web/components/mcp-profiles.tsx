import { useQuery } from '@tanstack/react-query'
import { Trash2 } from 'lucide-react'
import { type FormEvent, useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { z } from 'zod'
import { McpProfileCreateSchema } from '../../shared/mcp-profiles.ts'
import { profileQueries, useCreateProfile, useDeleteProfile } from '../api/mcp-endpoint.ts'
import { serverQueries } from '../api/mcp-servers.ts'
import { focusFirstIssue, useFieldErrors } from '../hooks/use-field-errors.ts'
import { ConfirmDialog } from './confirm-dialog.tsx'
import { ErrorAlert } from './error-alert.tsx'
import { TextField } from './text-field.tsx'
import { Button } from './ui/button.tsx'

/**
 * Profiles of the MCP endpoint: a name (its own address, `/mcp/p/<name>`) and the servers it
 * offers, say "coding" or "read-only". A token can be scoped to one (API tokens, below).
 */
export function McpProfilesSection() {
  const { t } = useTranslation()
  const id = useId()
  const profiles = useQuery(profileQueries.list())
  const servers = useQuery(serverQueries.list())
  const createProfile = useCreateProfile()
  const deleteProfile = useDeleteProfile()
  const [chosen, setChosen] = useState<string[]>([])
  const [ownNames, setOwnNames] = useState(false)
  const [issues, setIssues] = useState<z.core.$ZodIssue[]>([])
  const [deleting, setDeleting] = useState<{ id: string; name: string } | null>(null)
  const fieldErrors = useFieldErrors(issues, createProfile.error)
  const serverName = (serverId: string) =>
    servers.data?.find((server) => server.id === serverId)?.name ?? t('settings.profiles.gone')

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const form = event.currentTarget
    const parsed = McpProfileCreateSchema.safeParse({
      name: new FormData(form).get('name'),
      serverIds: chosen,
      toolNames: ownNames ? 'plain' : 'prefixed',
    })
    setIssues(parsed.error?.issues ?? [])
    if (!parsed.success) return focusFirstIssue(form, parsed.error.issues)
    createProfile.mutate(parsed.data, {
      onSuccess: () => {
        form.reset()
        setChosen([])
        setOwnNames(false)
      },
    })
  }

  return (
    <section className="flex flex-col gap-3" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`} className="text-sm font-semibold">
        {t('settings.profiles.title')}
      </h3>
      <p className="text-sm text-muted-foreground">{t('settings.profiles.description')}</p>
      {profiles.data && profiles.data.length > 0 && (
        <ul
          className="flex flex-col divide-y rounded-md border"
          aria-label={t('settings.profiles.title')}
        >
          {profiles.data.map((profile) => (
            <li key={profile.id} className="flex flex-col gap-1 p-3 sm:flex-row sm:items-center">
              <div className="flex min-w-0 flex-1 flex-col gap-0.5">
                <p className="font-medium">{profile.name}</p>
                <p className="font-mono text-xs break-all text-muted-foreground">{profile.url}</p>
                <p className="text-xs text-muted-foreground">
                  {profile.serverIds.length === 0
                    ? t('settings.profiles.noServers')
                    : profile.serverIds.map(serverName).join(', ')}
                </p>
                {profile.toolNames === 'plain' && (
                  <p className="text-xs text-muted-foreground">
                    {t('settings.profiles.ownNamesOn')}
                  </p>
                )}
              </div>
              <Button
                type="button"
                variant="outline"
                size="sm"
                className="self-start sm:self-center"
                aria-label={t('settings.profiles.deleteLabel', { name: profile.name })}
                onClick={() => setDeleting({ id: profile.id, name: profile.name })}
              >
                <Trash2 aria-hidden="true" />
                {t('settings.profiles.delete')}
              </Button>
            </li>
          ))}
        </ul>
      )}
      <form onSubmit={onSubmit} noValidate className="flex flex-col gap-3 rounded-md border p-3">
        <TextField
          className="flex flex-col gap-2"
          label={t('settings.profiles.nameLabel')}
          name="name"
          autoComplete="off"
          maxLength={40}
          required
          hint={t('settings.profiles.nameHint')}
          error={fieldErrors.name}
        />
        <fieldset className="flex flex-col gap-2">
          <legend className="mb-1 text-sm font-medium">{t('settings.profiles.servers')}</legend>
          {servers.data?.length === 0 && (
            <p className="text-sm text-muted-foreground">{t('models.servers.none')}</p>
          )}
          {servers.data?.map((server) => (
            <label key={server.id} className="flex items-center gap-2 text-sm">
              <input
                type="checkbox"
                className="size-4 accent-primary"
                checked={chosen.includes(server.id)}
                onChange={(event) =>
                  setChosen(
                    event.target.checked
                      ? [...chosen, server.id]
                      : chosen.filter((serverId) => serverId !== server.id),
                  )
                }
              />
              {server.name}
            </label>
          ))}
        </fieldset>
        <div className="flex flex-col gap-1">
          <label className="flex items-center gap-2 text-sm">
            <input
              type="checkbox"
              className="size-4 accent-primary"
              checked={ownNames}
              aria-describedby={`${id}-own-names-hint`}
              onChange={(event) => setOwnNames(event.target.checked)}
            />
            {t('settings.profiles.ownNames')}
          </label>
          <p id={`${id}-own-names-hint`} className="text-xs text-muted-foreground">
            {t('settings.profiles.ownNamesHint')}
          </p>
        </div>
        <Button type="submit" pending={createProfile.isPending} className="self-start">
          {t('settings.profiles.create')}
        </Button>
        <ErrorAlert error={createProfile.error} />
      </form>
      <ConfirmDialog
        open={deleting !== null}
        title={t('settings.profiles.deleteTitle', { name: deleting?.name ?? '' })}
        body={t('settings.profiles.deleteDescription')}
        confirmLabel={t('settings.profiles.delete')}
        pending={deleteProfile.isPending}
        error={deleteProfile.error}
        onConfirm={() =>
          deleting && deleteProfile.mutate(deleting.id, { onSuccess: () => setDeleting(null) })
        }
        onClose={() => {
          setDeleting(null)
          deleteProfile.reset()
        }}
      />
    </section>
  )
}
