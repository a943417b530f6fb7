import { useId } from 'react'
import { useTranslation } from 'react-i18next'
import type { ChatConfig } from '../../shared/chat.ts'
import { Label } from './ui/label.tsx'
import { Select } from './ui/select.tsx'

/**
 * The model a conversation is using. A model the operator no longer offers reads as the
 * default, which is what the next answer will use.
 */
export function resolvePickedModel(config: ChatConfig, model: string | null): string {
  return model && config.models.some((m) => m.id === model) ? model : config.defaultModel
}

/** Picks one of the operator's models for this conversation. */
export function ChatModelPicker({
  config,
  value,
  disabled,
  onChange,
}: {
  config: ChatConfig
  value: string
  disabled?: boolean
  onChange: (model: string) => void
}) {
  const { t } = useTranslation()
  const id = useId()
  return (
    <div className="flex min-w-0 items-center gap-2">
      <Label htmlFor={id} className="text-xs text-muted-foreground">
        {t('chat.model.label')}
      </Label>
      <Select
        id={id}
        value={value}
        disabled={disabled || config.models.length < 2}
        onChange={(event) => onChange(event.target.value)}
        className="min-w-0 max-w-64"
      >
        {config.models.map((model) => (
          <option key={model.id} value={model.id}>
            {model.id === config.defaultModel
              ? t('chat.model.default', { label: model.label })
              : model.label}
          </option>
        ))}
      </Select>
    </div>
  )
}
