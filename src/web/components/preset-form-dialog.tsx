import { useQuery } from '@tanstack/react-query'
import { type FormEvent, useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { ModelInfo } from '../../shared/models.ts'
import { INSTRUCTIONS_MAX, type Preset, PresetCreateSchema } from '../../shared/presets.ts'
import { modelQueries } from '../api/models.ts'
import { useCreatePreset, useUpdatePreset } from '../api/presets.ts'
import { useFieldErrors } from '../hooks/use-field-errors.ts'
import { ErrorAlert } from './error-alert.tsx'
import { InstructionsField } from './instructions-field.tsx'
import { ServerChoice } from './server-choice.tsx'
import { TextField } from './text-field.tsx'
import { Button } from './ui/button.tsx'
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from './ui/dialog.tsx'
import { Label } from './ui/label.tsx'
import { Select } from './ui/select.tsx'

/** `'new'` saves a new preset, a preset edits it, `null` is closed. */
export type PresetFormTarget = Preset | 'new' | null

export function PresetFormDialog({
  target,
  onClose,
  onSaved,
}: {
  target: PresetFormTarget
  onClose: () => void
  onSaved: (preset: Preset) => void
}) {
  const { t } = useTranslation()
  const preset = target === 'new' ? null : target
  return (
    <Dialog open={target !== null} onOpenChange={(open) => !open && onClose()}>
      <DialogContent
        closeLabel={t('common.close')}
        className="sm:max-w-xl"
        // A stray click beside the dialog should not throw away half-written instructions.
        onInteractOutside={(event) => event.preventDefault()}
      >
        <DialogHeader>
          <DialogTitle>
            {preset
              ? t('models.presets.editTitle', { name: preset.name })
              : t('models.presets.newTitle')}
          </DialogTitle>
          <DialogDescription>{t('models.presets.formDescription')}</DialogDescription>
        </DialogHeader>
        <PresetForm
          key={preset?.id ?? 'new'}
          preset={preset}
          onCancel={onClose}
          onSaved={(saved) => {
            onSaved(saved)
            onClose()
          }}
        />
      </DialogContent>
    </Dialog>
  )
}

function PresetForm({
  preset,
  onCancel,
  onSaved,
}: {
  preset: Preset | null
  onCancel: () => void
  onSaved: (preset: Preset) => void
}) {
  const { t } = useTranslation()
  const create = useCreatePreset()
  const update = useUpdatePreset()
  const mutation = preset ? update : create
  const [name, setName] = useState(preset?.name ?? '')
  const [model, setModel] = useState(preset?.model ?? '')
  const [instructions, setInstructions] = useState(preset?.instructions ?? '')
  const [serverIds, setServerIds] = useState(preset?.serverIds ?? null)
  const [issues, setIssues] = useState<ReturnType<typeof PresetCreateSchema.safeParse>['error']>()
  const errors = useFieldErrors(issues?.issues ?? [], mutation.error)

  const submit = (event: FormEvent) => {
    event.preventDefault()
    const values = {
      name,
      model: model || null,
      instructions: instructions.trim() ? instructions : null,
      serverIds,
    }
    const parsed = PresetCreateSchema.safeParse(values)
    setIssues(parsed.error)
    if (!parsed.success || instructions.length > INSTRUCTIONS_MAX) return
    if (preset) {
      update.mutate({ id: preset.id, changes: parsed.data }, { onSuccess: onSaved })
    } else {
      create.mutate(parsed.data, { onSuccess: onSaved })
    }
  }

  return (
    <form onSubmit={submit} className="flex flex-col gap-5" noValidate>
      <TextField
        label={t('models.presets.name')}
        name="name"
        value={name}
        onChange={(event) => setName(event.target.value)}
        error={errors.name}
        maxLength={100}
        autoComplete="off"
      />
      <ModelSelect value={model} onChange={setModel} error={errors.model} />
      <InstructionsField
        value={instructions}
        onChange={setInstructions}
        error={errors.instructions}
      />
      <ServerChoice value={serverIds} onChange={setServerIds} />
      <ErrorAlert error={mutation.error} />
      <DialogFooter>
        <Button type="button" variant="outline" onClick={onCancel}>
          {t('common.cancel')}
        </Button>
        <Button type="submit" pending={mutation.isPending}>
          {preset ? t('models.presets.save') : t('models.presets.create')}
        </Button>
      </DialogFooter>
    </form>
  )
}

/** The models on offer, favourites first; "" is the operator's default. */
function ModelSelect({
  value,
  onChange,
  error,
}: {
  value: string
  onChange: (model: string) => void
  error?: string | undefined
}) {
  const { t } = useTranslation()
  const id = useId()
  const list = useQuery(modelQueries.list())
  const models = list.data?.models ?? []
  const defaultLabel =
    models.find((m) => m.id === list.data?.defaultModel)?.label ?? list.data?.defaultModel ?? ''
  const favourites = models.filter((m) => m.favourite)
  const others = models.filter((m) => !m.favourite)
  const known = value === '' || models.some((m) => m.id === value)
  const option = (m: ModelInfo) => (
    <option key={m.id} value={m.id}>
      {m.label === m.id ? m.id : `${m.label} (${m.id})`}
    </option>
  )
  return (
    <div className="flex flex-col gap-2">
      <Label htmlFor={id}>{t('chat.model.label')}</Label>
      <Select
        id={id}
        name="model"
        value={value}
        onChange={(event) => onChange(event.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
      >
        <option value="">{t('models.presets.defaultModel', { model: defaultLabel })}</option>
        {!known && <option value={value}>{t('models.picker.notOnOffer', { model: value })}</option>}
        {favourites.length > 0 && (
          <optgroup label={t('models.picker.favourites')}>{favourites.map(option)}</optgroup>
        )}
        {favourites.length > 0 ? (
          <optgroup label={t('models.picker.others')}>{others.map(option)}</optgroup>
        ) : (
          others.map(option)
        )}
      </Select>
      {error && (
        <p id={`${id}-error`} className="text-sm text-destructive">
          {error}
        </p>
      )}
    </div>
  )
}
