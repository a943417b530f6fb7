import { KeyRound, Pencil, PlugZap, Trash2 } from 'lucide-react'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { toast } from 'sonner'
import type { ModelProviderTest, ModelProviderView } from '../../../shared/model-providers.ts'
import { useDeleteProvider, useTestProvider, useUpdateProvider } from '../../api/admin-models.ts'
import { reasonText } from '../../i18n/reason-text.ts'
import { ConfirmDialog } from '../confirm-dialog.tsx'
import { ErrorAlert } from '../error-alert.tsx'
import { Alert } from '../ui/alert.tsx'
import { Badge } from '../ui/badge.tsx'
import { Button } from '../ui/button.tsx'
import { ModelChooser } from './model-chooser.tsx'

/** One provider: where it is, whether a key is set, its models; test, edit, remove. */
export function ProviderCard({
  provider,
  onEdit,
}: {
  provider: ModelProviderView
  onEdit: (provider: ModelProviderView) => void
}) {
  const { t } = useTranslation()
  const test = useTestProvider()
  const update = useUpdateProvider()
  const remove = useDeleteProvider()
  const [confirming, setConfirming] = useState(false)
  const fromEnvironment = provider.source === 'environment'
  const headingId = `provider-${provider.id}`

  const saveModels = (models: { id: string; label: string | null }[]) =>
    update.mutate(
      { id: provider.id, changes: { models } },
      {
        onSuccess: () => {
          toast.success(t('adminModels.toast.modelsSaved', { count: models.length }))
          test.reset()
        },
      },
    )

  return (
    <section
      aria-labelledby={headingId}
      className="flex min-w-0 flex-col gap-3 rounded-xl border bg-card p-4"
      data-testid="provider-card"
    >
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="flex min-w-0 flex-col gap-1">
          <h3 id={headingId} className="flex flex-wrap items-center gap-2 font-semibold">
            <span className="break-all">{provider.name}</span>
            <Badge variant="secondary">{t(`adminModels.kind.${provider.kind}`)}</Badge>
            {fromEnvironment && (
              <Badge variant="outline">{t('adminModels.card.fromEnvironment')}</Badge>
            )}
            {provider.overridden && (
              <Badge variant="warning">{t('adminModels.card.overridden')}</Badge>
            )}
          </h3>
          <p className="break-all text-sm text-muted-foreground">
            {provider.baseUrl ?? t('adminModels.card.openRouterUrl')}
          </p>
          <p className="flex items-center gap-1.5 text-sm text-muted-foreground">
            <KeyRound className="size-3.5" aria-hidden="true" />
            {provider.hasApiKey ? t('adminModels.card.keySet') : t('adminModels.card.noKey')}
          </p>
        </div>
        <div className="flex flex-wrap gap-2">
          <Button
            size="sm"
            variant="outline"
            pending={test.isPending}
            onClick={() => test.mutate(provider.id)}
            aria-label={t('adminModels.card.testLabel', { name: provider.name })}
          >
            <PlugZap aria-hidden="true" />
            {t('adminModels.card.test')}
          </Button>
          {!fromEnvironment && (
            <>
              <Button
                size="sm"
                variant="outline"
                onClick={() => onEdit(provider)}
                aria-label={t('adminModels.card.editLabel', { name: provider.name })}
              >
                <Pencil aria-hidden="true" />
                {t('adminModels.card.edit')}
              </Button>
              <Button
                size="sm"
                variant="outline"
                onClick={() => setConfirming(true)}
                aria-label={t('adminModels.card.deleteLabel', { name: provider.name })}
              >
                <Trash2 aria-hidden="true" />
                {t('adminModels.card.delete')}
              </Button>
            </>
          )}
        </div>
      </div>
      {fromEnvironment && (
        <p className="text-sm text-muted-foreground">{t('adminModels.card.environmentNote')}</p>
      )}
      {provider.overridden && (
        <p className="text-sm text-muted-foreground">{t('adminModels.card.overriddenNote')}</p>
      )}
      <OfferedModels provider={provider} />
      <ErrorAlert error={test.error} />
      {test.data && (
        <TestResult
          result={test.data}
          provider={provider}
          saving={update.isPending}
          saveError={update.error}
          onSave={saveModels}
        />
      )}
      <ConfirmDialog
        open={confirming}
        title={t('adminModels.card.deleteTitle', { name: provider.name })}
        body={t('adminModels.card.deleteBody')}
        confirmLabel={t('adminModels.card.delete')}
        pending={remove.isPending}
        error={remove.error}
        onConfirm={() =>
          remove.mutate(provider.id, {
            onSuccess: () => {
              setConfirming(false)
              toast.success(t('adminModels.toast.deleted', { name: provider.name }))
            },
          })
        }
        onClose={() => {
          setConfirming(false)
          remove.reset()
        }}
      />
    </section>
  )
}

function OfferedModels({ provider }: { provider: ModelProviderView }) {
  const { t } = useTranslation()
  if (provider.models.length === 0 && !provider.offersCatalog) {
    return <p className="text-sm text-muted-foreground">{t('adminModels.card.noModels')}</p>
  }
  return (
    <div className="flex flex-col gap-2">
      <p className="text-sm font-medium">{t('adminModels.card.onOffer')}</p>
      <ul
        className="flex flex-wrap gap-1.5"
        aria-label={t('adminModels.card.onOfferLabel', { name: provider.name })}
      >
        {provider.models.map((model) => (
          <li key={model.id}>
            <Badge variant="outline" className="max-w-full break-all">
              {model.label ? `${model.label} (${model.id})` : model.id}
            </Badge>
          </li>
        ))}
      </ul>
      {provider.offersCatalog && (
        <p className="text-sm text-muted-foreground">{t('adminModels.card.wholeCatalog')}</p>
      )}
    </div>
  )
}

function TestResult({
  result,
  provider,
  saving,
  saveError,
  onSave,
}: {
  result: ModelProviderTest
  provider: ModelProviderView
  saving: boolean
  saveError: unknown
  onSave: (models: { id: string; label: string | null }[]) => void
}) {
  const { t } = useTranslation()
  if (!result.ok) {
    return (
      <Alert variant="destructive" role="alert">
        <p>
          {t('adminModels.test.failed')}{' '}
          {reasonText(t, result.error?.reason, result.error?.message ?? '')}
        </p>
      </Alert>
    )
  }
  return (
    <div className="flex flex-col gap-3" role="status">
      <p className="text-sm text-success-foreground">
        {t('adminModels.test.ok', { count: result.models.length, ms: result.latencyMs })}
      </p>
      {provider.source === 'admin' && result.models.length > 0 && (
        <>
          <ModelChooser
            available={result.models}
            chosen={provider.models}
            saving={saving}
            onSave={onSave}
          />
          <ErrorAlert error={saveError} />
        </>
      )}
    </div>
  )
}
