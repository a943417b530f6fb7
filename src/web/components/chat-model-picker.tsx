import { useQuery } from '@tanstack/react-query'
import { Command } from 'cmdk'
import { Check, ChevronsUpDown, Image, Star } from 'lucide-react'
import { Popover } from 'radix-ui'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { toast } from 'sonner'
import type { ChatConfig } from '../../shared/chat.ts'
import { acceptsImages, type ModelInfo, type ModelList } from '../../shared/models.ts'
import { modelQueries, useSetFavourite } from '../api/models.ts'
import { useErrorMessage } from '../hooks/use-error-message.ts'
import { formatPrice, formatTokens, matchesModel } from './model-format.ts'
import { Button } from './ui/button.tsx'
import { cn } from './ui/cn.ts'
import { Spinner } from './ui/spinner.tsx'

/**
 * The model a conversation is using: its own, else the operator's default. A model taken off
 * offer since stays shown as it is (the picker marks it), so the user sees why sending fails.
 */
export function resolvePickedModel(config: ChatConfig, model: string | null): string {
  return model ?? config.defaultModel
}

/** The configured models, for as long as the catalogue is loading or cannot be loaded. */
function fallbackModels(config: ChatConfig): ModelInfo[] {
  return config.models.map((model) => ({
    ...model,
    contextLength: null,
    pricing: null,
    inputModalities: null,
    favourite: false,
  }))
}

/**
 * Picks a model for this conversation from the provider's catalogue (or the operator's list):
 * searchable by name and id, favourites first, each with its context length and price.
 */
export function ChatModelPicker({
  config,
  value,
  disabled,
  onChange,
}: {
  config: ChatConfig
  value: string
  disabled?: boolean
  onChange: (model: string, label: string) => void
}) {
  const { t } = useTranslation()
  const [open, setOpen] = useState(false)
  const list = useQuery(modelQueries.list())
  const models = list.data?.models ?? fallbackModels(config)
  const current = models.find((model) => model.id === value)
  const label = current?.label ?? value
  const offMenu = list.isSuccess && !current
  return (
    <Popover.Root open={open} onOpenChange={setOpen}>
      <Popover.Trigger asChild>
        <Button
          variant="outline"
          size="sm"
          disabled={disabled}
          aria-label={t('models.picker.button', { model: label })}
          data-model-id={value}
          className="max-w-72 min-w-0 justify-between"
        >
          <span className="text-muted-foreground">{t('chat.model.label')}</span>
          <span className={cn('min-w-0 truncate', offMenu && 'text-destructive line-through')}>
            {label}
          </span>
          <ChevronsUpDown className="text-muted-foreground" aria-hidden="true" />
        </Button>
      </Popover.Trigger>
      <Popover.Portal>
        <Popover.Content
          align="end"
          sideOffset={6}
          collisionPadding={16}
          className="z-50 w-[min(30rem,calc(100vw-2rem))] rounded-lg border bg-card text-card-foreground shadow-lg"
        >
          <ModelCommand
            list={list.data}
            models={models}
            pending={list.isPending}
            value={value}
            defaultModel={list.data?.defaultModel ?? config.defaultModel}
            onPick={(model) => {
              setOpen(false)
              if (model.id !== value) onChange(model.id, model.label)
            }}
          />
        </Popover.Content>
      </Popover.Portal>
    </Popover.Root>
  )
}

function ModelCommand({
  list,
  models,
  pending,
  value,
  defaultModel,
  onPick,
}: {
  list: ModelList | undefined
  models: ModelInfo[]
  pending: boolean
  value: string
  defaultModel: string
  onPick: (model: ModelInfo) => void
}) {
  const { t } = useTranslation()
  const [query, setQuery] = useState('')
  const matching = models.filter((model) => matchesModel(model, query))
  const favourites = matching.filter((model) => model.favourite)
  const others = matching.filter((model) => !model.favourite)
  const row = (model: ModelInfo) => (
    <ModelRow
      key={model.id}
      model={model}
      picked={model.id === value}
      isDefault={model.id === defaultModel}
      onPick={() => onPick(model)}
    />
  )
  return (
    // cmdk names its input after `label` (aria-labelledby), its list after the list's own.
    <Command label={t('models.picker.search')} shouldFilter={false} loop defaultValue={value}>
      <div className="border-b p-2">
        <Command.Input
          value={query}
          onValueChange={setQuery}
          placeholder={t('models.picker.search')}
          className="h-9 w-full rounded-md bg-background px-2 text-base outline-none placeholder:text-muted-foreground sm:text-sm"
        />
      </div>
      <CatalogNotice list={list} />
      <Command.List
        label={t('models.picker.label')}
        className="max-h-[min(24rem,55dvh)] overflow-y-auto p-1"
      >
        {pending && (
          <Command.Loading>
            <div className="flex justify-center p-3">
              <Spinner label={t('models.picker.loading')} />
            </div>
          </Command.Loading>
        )}
        <Command.Empty className="px-3 py-6 text-center text-sm text-muted-foreground">
          {t('models.picker.empty', { query })}
        </Command.Empty>
        {favourites.length > 0 && (
          <Command.Group heading={t('models.picker.favourites')} className={GROUP_CLASSES}>
            {favourites.map(row)}
          </Command.Group>
        )}
        {others.length > 0 && (
          <Command.Group
            heading={favourites.length > 0 ? t('models.picker.others') : t('models.picker.all')}
            className={GROUP_CLASSES}
          >
            {others.map(row)}
          </Command.Group>
        )}
      </Command.List>
    </Command>
  )
}

const GROUP_CLASSES =
  '[&_[cmdk-group-heading]]:px-2 [&_[cmdk-group-heading]]:py-1.5 [&_[cmdk-group-heading]]:text-xs [&_[cmdk-group-heading]]:font-medium [&_[cmdk-group-heading]]:text-muted-foreground'

/** Says so when the list is not the provider's current catalogue. */
function CatalogNotice({ list }: { list: ModelList | undefined }) {
  const { t, i18n } = useTranslation()
  const status = list?.catalog.status
  if (status !== 'stale' && status !== 'unavailable') return null
  const fetchedAt = list?.catalog.fetchedAt
  return (
    <p role="status" className="border-b bg-muted px-3 py-2 text-xs text-muted-foreground">
      {status === 'unavailable' || !fetchedAt
        ? t('models.picker.catalogUnavailable')
        : t('models.picker.catalogStale', {
            time: new Date(fetchedAt).toLocaleString(i18n.language),
          })}
    </p>
  )
}

function ModelRow({
  model,
  picked,
  isDefault,
  onPick,
}: {
  model: ModelInfo
  picked: boolean
  isDefault: boolean
  onPick: () => void
}) {
  const { t, i18n } = useTranslation()
  const language = i18n.language
  const details = [
    model.contextLength !== null
      ? t('models.picker.context', { tokens: formatTokens(model.contextLength, language) })
      : null,
    model.pricing
      ? model.pricing.prompt === 0 && model.pricing.completion === 0
        ? t('models.picker.free')
        : t('models.picker.price', {
            prompt: formatPrice(model.pricing.prompt, language),
            completion: formatPrice(model.pricing.completion, language),
          })
      : null,
  ].filter(Boolean)
  return (
    <Command.Item
      value={model.id}
      onSelect={onPick}
      data-model-id={model.id}
      className="flex cursor-pointer items-start gap-2 rounded-md px-2 py-2 text-sm data-[selected=true]:bg-accent data-[selected=true]:text-accent-foreground"
    >
      <Check
        className={cn('mt-0.5 size-4 shrink-0', picked ? 'opacity-100' : 'opacity-0')}
        aria-hidden="true"
      />
      <div className="flex min-w-0 flex-1 flex-col gap-0.5">
        <span className="flex min-w-0 items-center gap-1.5">
          <span className="truncate font-medium">{model.label}</span>
          {isDefault && (
            <span className="shrink-0 rounded bg-muted px-1 text-xs text-muted-foreground">
              {t('models.picker.default')}
            </span>
          )}
          {acceptsImages(model) && (
            <Image
              className="size-3.5 shrink-0 text-muted-foreground"
              aria-label={t('models.picker.images')}
              role="img"
            />
          )}
        </span>
        {model.label !== model.id && (
          <span className="truncate font-mono text-xs text-muted-foreground">{model.id}</span>
        )}
        {details.length > 0 && (
          <span className="text-xs text-muted-foreground">{details.join(' · ')}</span>
        )}
      </div>
      <FavouriteButton model={model} />
    </Command.Item>
  )
}

/** Stars a model without picking it (the click stays with the button). */
function FavouriteButton({ model }: { model: ModelInfo }) {
  const { t } = useTranslation()
  const errorMessage = useErrorMessage()
  const setFavourite = useSetFavourite()
  const toggle = () =>
    setFavourite.mutate(
      { modelId: model.id, favourite: !model.favourite },
      { onError: (error) => toast.error(errorMessage(error)) },
    )
  return (
    <button
      type="button"
      aria-pressed={model.favourite}
      aria-label={t(model.favourite ? 'models.picker.unstar' : 'models.picker.star', {
        model: model.label,
      })}
      onClick={(event) => {
        event.stopPropagation()
        toggle()
      }}
      onKeyDown={(event) => {
        // Enter and Space belong to the button, not to the list (which would pick the model).
        if (event.key === 'Enter' || event.key === ' ') event.stopPropagation()
      }}
      className="-my-1 -mr-1 flex size-8 shrink-0 cursor-pointer items-center justify-center rounded-md text-muted-foreground hover:bg-muted hover:text-foreground"
    >
      <Star
        className={cn('size-4', model.favourite && 'fill-current text-warning')}
        aria-hidden="true"
      />
    </button>
  )
}
