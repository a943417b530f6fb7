import { type FormEvent, useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { toast } from 'sonner'
import {
  ModelProviderCreateSchema,
  type ModelProviderView,
  type ProviderKind,
} from '../../../shared/model-providers.ts'
import { useCreateProvider, useUpdateProvider } from '../../api/admin-models.ts'
import { useFieldErrors } from '../../hooks/use-field-errors.ts'
import { ErrorAlert } from '../error-alert.tsx'
import { TextField } from '../text-field.tsx'
import { Button } from '../ui/button.tsx'
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from '../ui/dialog.tsx'
import { Label } from '../ui/label.tsx'
import { Select } from '../ui/select.tsx'

/** `'new'` adds a provider, a provider edits it, `null` is closed. */
export type ProviderFormTarget = ModelProviderView | 'new' | null

export function ProviderFormDialog({
  target,
  onClose,
}: {
  target: ProviderFormTarget
  onClose: () => void
}) {
  const { t } = useTranslation()
  const provider = target === 'new' ? null : target
  return (
    <Dialog open={target !== null} onOpenChange={(open) => !open && onClose()}>
      <DialogContent closeLabel={t('common.close')} className="sm:max-w-lg">
        <DialogHeader>
          <DialogTitle>
            {provider
              ? t('adminModels.form.editTitle', { name: provider.name })
              : t('adminModels.form.newTitle')}
          </DialogTitle>
          <DialogDescription>{t('adminModels.form.description')}</DialogDescription>
        </DialogHeader>
        <ProviderForm key={provider?.id ?? 'new'} provider={provider} onDone={onClose} />
      </DialogContent>
    </Dialog>
  )
}

function ProviderForm({
  provider,
  onDone,
}: {
  provider: ModelProviderView | null
  onDone: () => void
}) {
  const { t } = useTranslation()
  const kindId = useId()
  const create = useCreateProvider()
  const update = useUpdateProvider()
  const mutation = provider ? update : create
  const [kind, setKind] = useState<ProviderKind>(provider?.kind ?? 'openai-compatible')
  const [name, setName] = useState(provider?.name ?? '')
  const [baseUrl, setBaseUrl] = useState(provider?.baseUrl ?? '')
  const [apiKey, setApiKey] = useState('')
  const [issues, setIssues] =
    useState<ReturnType<typeof ModelProviderCreateSchema.safeParse>['error']>()
  const errors = useFieldErrors(issues?.issues ?? [], mutation.error)

  const submit = (event: FormEvent) => {
    event.preventDefault()
    const values = {
      kind,
      name,
      baseUrl: baseUrl.trim() ? baseUrl.trim() : null,
      // Empty while editing: the key stays as it is (it is never shown).
      ...(apiKey.trim() ? { apiKey: apiKey.trim() } : {}),
    }
    const parsed = ModelProviderCreateSchema.safeParse(values)
    setIssues(parsed.error)
    if (!parsed.success) return
    const saved = (view: ModelProviderView) => {
      toast.success(
        provider
          ? t('adminModels.toast.updated', { name: view.name })
          : t('adminModels.toast.created', { name: view.name }),
      )
      onDone()
    }
    if (provider) {
      const { kind: _kind, ...changes } = parsed.data
      update.mutate({ id: provider.id, changes }, { onSuccess: saved })
    } else {
      create.mutate(parsed.data, { onSuccess: saved })
    }
  }

  return (
    <form onSubmit={submit} className="flex flex-col gap-5" noValidate>
      <div className="flex flex-col gap-2">
        <Label htmlFor={kindId}>{t('adminModels.form.kind')}</Label>
        <Select
          id={kindId}
          value={kind}
          disabled={provider !== null}
          onChange={(event) => setKind(event.target.value as ProviderKind)}
        >
          <option value="openai-compatible">{t('adminModels.kind.openai-compatible')}</option>
          <option value="openrouter">{t('adminModels.kind.openrouter')}</option>
        </Select>
      </div>
      <TextField
        label={t('adminModels.form.name')}
        name="name"
        value={name}
        onChange={(event) => setName(event.target.value)}
        error={errors.name}
        maxLength={80}
        autoComplete="off"
        placeholder={kind === 'openrouter' ? 'OpenRouter' : 'Ollama'}
      />
      <TextField
        label={t('adminModels.form.baseUrl')}
        labelNote={kind === 'openrouter' ? t('common.optional') : undefined}
        name="baseUrl"
        type="url"
        value={baseUrl}
        onChange={(event) => setBaseUrl(event.target.value)}
        error={errors.baseUrl}
        hint={
          kind === 'openrouter'
            ? t('adminModels.form.baseUrlOpenRouterHint')
            : t('adminModels.form.baseUrlHint')
        }
        placeholder={
          kind === 'openrouter' ? 'https://openrouter.ai/api/v1' : 'http://localhost:11434/v1'
        }
        autoComplete="off"
      />
      <TextField
        label={t('adminModels.form.apiKey')}
        labelNote={kind === 'openrouter' && !provider ? undefined : t('common.optional')}
        name="apiKey"
        type="password"
        value={apiKey}
        onChange={(event) => setApiKey(event.target.value)}
        error={errors.apiKey}
        hint={
          provider?.hasApiKey ? t('adminModels.form.apiKeyKeep') : t('adminModels.form.apiKeyHint')
        }
        autoComplete="new-password"
      />
      <ErrorAlert error={mutation.error} />
      <DialogFooter>
        <Button type="button" variant="outline" onClick={onDone}>
          {t('common.cancel')}
        </Button>
        <Button type="submit" pending={mutation.isPending}>
          {provider ? t('adminModels.form.save') : t('adminModels.form.create')}
        </Button>
      </DialogFooter>
    </form>
  )
}
