import { useQuery } from '@tanstack/react-query'
import { Layers, Pencil, Plus, Trash2 } from 'lucide-react'
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useLocation } from 'react-router'
import { toast } from 'sonner'
import type { Preset } from '../../shared/presets.ts'
import { modelQueries } from '../api/models.ts'
import { presetQueries, useDeletePreset } from '../api/presets.ts'
import { ConfirmDialog } from './confirm-dialog.tsx'
import { EmptyState } from './empty-state.tsx'
import { ErrorState } from './error-state.tsx'
import { PresetFormDialog, type PresetFormTarget } from './preset-form-dialog.tsx'
import { Button } from './ui/button.tsx'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from './ui/card.tsx'
import { Spinner } from './ui/spinner.tsx'

/** Settings: the user's presets (model, instructions, servers) to start conversations from. */
export function PresetsCard() {
  const { t } = useTranslation()
  const presets = useQuery(presetQueries.list())
  const [editing, setEditing] = useState<PresetFormTarget>(null)
  const [deleting, setDeleting] = useState<Preset | null>(null)
  const remove = useDeletePreset()
  const { hash } = useLocation()
  // "Manage presets" in the chat links here: the router does not scroll to an anchor by itself.
  useEffect(() => {
    if (hash === '#presets') document.getElementById('presets')?.scrollIntoView()
  }, [hash])

  const confirmDelete = () => {
    if (!deleting) return
    const { name } = deleting
    remove.mutate(deleting.id, {
      onSuccess: () => {
        toast.success(t('models.presets.deleted', { name }))
        setDeleting(null)
      },
    })
  }

  return (
    <Card id="presets" aria-labelledby="presets-title" className="scroll-mt-20">
      <CardHeader className="flex-row flex-wrap items-start justify-between gap-3">
        <div className="flex min-w-0 flex-col gap-1.5">
          <CardTitle id="presets-title">{t('models.presets.title')}</CardTitle>
          <CardDescription>{t('models.presets.description')}</CardDescription>
        </div>
        <Button size="sm" onClick={() => setEditing('new')}>
          <Plus aria-hidden="true" />
          {t('models.presets.new')}
        </Button>
      </CardHeader>
      <CardContent>
        {presets.isPending ? (
          <div className="flex justify-center py-6">
            <Spinner label={t('common.loading')} />
          </div>
        ) : presets.isError ? (
          <ErrorState error={presets.error} onRetry={() => presets.refetch()} />
        ) : presets.data.length === 0 ? (
          <EmptyState icon={Layers} title={t('models.presets.emptyTitle')}>
            <p>{t('models.presets.emptyBody')}</p>
          </EmptyState>
        ) : (
          <ul className="flex flex-col divide-y" aria-label={t('models.presets.title')}>
            {presets.data.map((preset) => (
              <PresetRow
                key={preset.id}
                preset={preset}
                onEdit={() => setEditing(preset)}
                onDelete={() => {
                  remove.reset()
                  setDeleting(preset)
                }}
              />
            ))}
          </ul>
        )}
      </CardContent>
      <PresetFormDialog
        target={editing}
        onClose={() => setEditing(null)}
        onSaved={(saved) =>
          toast.success(
            editing === 'new'
              ? t('models.presets.created', { name: saved.name })
              : t('models.presets.updated', { name: saved.name }),
          )
        }
      />
      <ConfirmDialog
        open={deleting !== null}
        title={t('models.presets.deleteTitle', { name: deleting?.name ?? '' })}
        body={t('models.presets.deleteBody')}
        confirmLabel={t('models.presets.deleteConfirm')}
        pending={remove.isPending}
        error={remove.error}
        onConfirm={confirmDelete}
        onClose={() => setDeleting(null)}
      />
    </Card>
  )
}

function PresetRow({
  preset,
  onEdit,
  onDelete,
}: {
  preset: Preset
  onEdit: () => void
  onDelete: () => void
}) {
  const { t } = useTranslation()
  const models = useQuery(modelQueries.list())
  const model = preset.model
    ? (models.data?.models.find((m) => m.id === preset.model)?.label ?? preset.model)
    : t('models.presets.defaultModelShort')
  const servers =
    preset.serverIds === null
      ? t('models.presets.allServers')
      : t('models.presets.someServers', { count: preset.serverIds.length })
  return (
    <li className="flex flex-wrap items-start justify-between gap-3 py-3 first:pt-0 last:pb-0">
      <div className="flex min-w-0 flex-1 flex-col gap-1">
        <p className="font-medium break-words">{preset.name}</p>
        <p className="text-sm text-muted-foreground">
          {model} · {servers}
        </p>
        {preset.instructions && (
          <p className="line-clamp-2 text-sm break-words whitespace-pre-line text-muted-foreground">
            {preset.instructions}
          </p>
        )}
      </div>
      <div className="flex shrink-0 gap-1">
        <Button
          variant="ghost"
          size="icon"
          onClick={onEdit}
          aria-label={t('models.presets.edit', { name: preset.name })}
          title={t('models.presets.edit', { name: preset.name })}
        >
          <Pencil aria-hidden="true" />
        </Button>
        <Button
          variant="ghost"
          size="icon"
          onClick={onDelete}
          aria-label={t('models.presets.delete', { name: preset.name })}
          title={t('models.presets.delete', { name: preset.name })}
        >
          <Trash2 aria-hidden="true" />
        </Button>
      </div>
    </li>
  )
}
