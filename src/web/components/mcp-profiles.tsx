import { useQuery } from '@tanstack/react-query'
import { Pencil, Trash2 } from 'lucide-react'
import { useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { McpProfile } from '../../shared/mcp-profiles.ts'
import { profileQueries, useDeleteProfile } from '../api/mcp-endpoint.ts'
import { serverQueries } from '../api/mcp-servers.ts'
import { ConfirmDialog } from './confirm-dialog.tsx'
import { McpProfileForm } from './mcp-profile-form.tsx'
import { Badge } from './ui/badge.tsx'
import { Button } from './ui/button.tsx'

/**
 * Profiles of the MCP endpoint: a name (its own address, `/mcp/p/<name>`) and the servers and
 * single tools it offers, say "coding" or "read-only", listed one by one or (search mode) found
 * through two tools. A token can be scoped to one (API tokens, below).
 */
export function McpProfilesSection() {
  const { t } = useTranslation()
  const id = useId()
  const profiles = useQuery(profileQueries.list())
  const servers = useQuery(serverQueries.list())
  const deleteProfile = useDeleteProfile()
  const [editing, setEditing] = useState<McpProfile | null>(null)
  const [deleting, setDeleting] = useState<{ id: string; name: string } | null>(null)
  const serverName = (serverId: string) =>
    servers.data?.find((server) => server.id === serverId)?.name ?? t('settings.profiles.gone')
  const offers = (profile: McpProfile) => {
    const parts = [
      ...profile.serverIds.map(serverName),
      ...profile.tools.map((tool) => `${serverName(tool.serverId)} / ${tool.name}`),
    ]
    return parts.length === 0 ? t('settings.profiles.noServers') : parts.join(', ')
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
            <li key={profile.id} className="flex flex-col gap-2 p-3 sm:flex-row sm:items-center">
              <div className="flex min-w-0 flex-1 flex-col gap-0.5">
                <p className="flex items-center gap-2 font-medium">
                  {profile.name}
                  {profile.toolMode === 'search' && (
                    <Badge variant="secondary">{t('settings.profiles.toolModes.search')}</Badge>
                  )}
                </p>
                <p className="font-mono text-xs break-all text-muted-foreground">{profile.url}</p>
                <p className="text-xs text-muted-foreground">{offers(profile)}</p>
                {profile.toolNames === 'plain' && (
                  <p className="text-xs text-muted-foreground">
                    {t('settings.profiles.ownNamesOn')}
                  </p>
                )}
              </div>
              <div className="flex gap-2 self-start sm:self-center">
                <Button
                  type="button"
                  variant="outline"
                  size="sm"
                  aria-label={t('settings.profiles.editLabel', { name: profile.name })}
                  aria-pressed={editing?.id === profile.id}
                  onClick={() => setEditing(profile)}
                >
                  <Pencil aria-hidden="true" />
                  {t('settings.profiles.edit')}
                </Button>
                <Button
                  type="button"
                  variant="outline"
                  size="sm"
                  aria-label={t('settings.profiles.deleteLabel', { name: profile.name })}
                  onClick={() => setDeleting({ id: profile.id, name: profile.name })}
                >
                  <Trash2 aria-hidden="true" />
                  {t('settings.profiles.delete')}
                </Button>
              </div>
            </li>
          ))}
        </ul>
      )}
      {/* Keyed: switching to another profile (or back to a new one) starts from its values. */}
      <McpProfileForm
        key={editing?.id ?? 'new'}
        profile={editing ?? undefined}
        onDone={() => setEditing(null)}
      />
      <ConfirmDialog
        open={deleting !== null}
        title={t('settings.profiles.deleteTitle', { name: deleting?.name ?? '' })}
        body={t('settings.profiles.deleteDescription')}
        confirmLabel={t('settings.profiles.delete')}
        pending={deleteProfile.isPending}
        error={deleteProfile.error}
        onConfirm={() =>
          deleting &&
          deleteProfile.mutate(deleting.id, {
            onSuccess: () => {
              if (editing?.id === deleting.id) setEditing(null)
              setDeleting(null)
            },
          })
        }
        onClose={() => {
          setDeleting(null)
          deleteProfile.reset()
        }}
      />
    </section>
  )
}
