import { type FormEvent, useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { toast } from 'sonner'
import type { ModelProviderList } from '../../../shared/model-providers.ts'
import { useUpdateModelSettings } from '../../api/admin-models.ts'
import { ErrorAlert } from '../error-alert.tsx'
import { Button } from '../ui/button.tsx'
import { Label } from '../ui/label.tsx'
import { Select } from '../ui/select.tsx'
import { Switch } from '../ui/switch.tsx'

/** The default model (unless the environment sets it) and whether users may bring a key. */
export function ModelSettingsForm({ list }: { list: ModelProviderList }) {
  const { t } = useTranslation()
  const defaultId = useId()
  const keysId = useId()
  const save = useUpdateModelSettings()
  const toggle = useUpdateModelSettings()
  const { settings } = list
  const [model, setModel] = useState(settings.defaultModel)
  const fixed = settings.defaultModelSource === 'environment'
  const offered = [
    ...new Set([
      settings.defaultModel,
      ...list.providers.filter((p) => !p.overridden).flatMap((p) => p.models.map((m) => m.id)),
    ]),
  ]

  const submit = (event: FormEvent) => {
    event.preventDefault()
    save.mutate(
      { defaultModel: model },
      {
        onSuccess: (view) =>
          toast.success(t('adminModels.toast.defaultSaved', { model: view.defaultModel })),
      },
    )
  }

  return (
    <div className="flex flex-col gap-6 border-t pt-6">
      <form onSubmit={submit} className="flex flex-col gap-2" noValidate>
        <Label htmlFor={defaultId}>{t('adminModels.settings.defaultModel')}</Label>
        <div className="flex flex-col gap-2 sm:flex-row sm:items-center">
          <Select
            id={defaultId}
            value={model}
            disabled={fixed}
            onChange={(event) => setModel(event.target.value)}
            className="sm:max-w-md"
            aria-describedby={`${defaultId}-hint`}
          >
            {offered.map((id) => (
              <option key={id} value={id}>
                {id}
              </option>
            ))}
          </Select>
          {!fixed && (
            <Button
              type="submit"
              variant="outline"
              pending={save.isPending}
              disabled={model === settings.defaultModel}
            >
              {t('adminModels.settings.saveDefault')}
            </Button>
          )}
        </div>
        <p id={`${defaultId}-hint`} className="text-sm text-muted-foreground">
          {fixed ? t('adminModels.settings.defaultFixed') : t('adminModels.settings.defaultHint')}
        </p>
        <ErrorAlert error={save.error} />
      </form>
      <div className="flex flex-col gap-2">
        <div className="flex items-center gap-3">
          <Switch
            id={keysId}
            checked={settings.userKeysAllowed}
            disabled={toggle.isPending}
            onCheckedChange={(checked) =>
              toggle.mutate(
                { userKeysAllowed: checked },
                {
                  onSuccess: () =>
                    toast.success(
                      checked
                        ? t('adminModels.toast.userKeysOn')
                        : t('adminModels.toast.userKeysOff'),
                    ),
                },
              )
            }
            aria-describedby={`${keysId}-hint`}
          />
          <Label htmlFor={keysId}>{t('adminModels.settings.userKeys')}</Label>
        </div>
        <p id={`${keysId}-hint`} className="text-sm text-muted-foreground">
          {t('adminModels.settings.userKeysHint')}
        </p>
        <ErrorAlert error={toggle.error} />
      </div>
    </div>
  )
}
