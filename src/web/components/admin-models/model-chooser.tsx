import { useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Button } from '../ui/button.tsx'
import { Input } from '../ui/input.tsx'
import { Label } from '../ui/label.tsx'

const SHOWN_MAX = 200

/**
 * Which of the provider's models are on offer: a checkbox per model (a filter narrows a long
 * catalogue such as OpenRouter's), the ones on offer now checked. Models on offer that the
 * provider no longer lists stay in the list, so they can be unchecked.
 */
export function ModelChooser({
  available,
  chosen,
  saving,
  onSave,
}: {
  available: { id: string; name: string | null }[]
  chosen: { id: string; label: string | null }[]
  saving: boolean
  onSave: (models: { id: string; label: string | null }[]) => void
}) {
  const { t } = useTranslation()
  const filterId = useId()
  const [filter, setFilter] = useState('')
  const [selected, setSelected] = useState(() => new Set(chosen.map((m) => m.id)))
  const labels = new Map(chosen.map((m) => [m.id, m.label]))
  const listed = new Set(available.map((m) => m.id))
  const all = [
    ...chosen.filter((m) => !listed.has(m.id)).map((m) => ({ id: m.id, name: m.label })),
    ...available,
  ]
  const needle = filter.trim().toLowerCase()
  const matching = all.filter(
    (m) => !needle || m.id.toLowerCase().includes(needle) || m.name?.toLowerCase().includes(needle),
  )
  const toggle = (id: string, on: boolean) =>
    setSelected((current) => {
      const next = new Set(current)
      if (on) next.add(id)
      else next.delete(id)
      return next
    })
  return (
    <fieldset className="flex flex-col gap-3">
      <legend className="mb-2 text-sm font-medium">{t('adminModels.chooser.legend')}</legend>
      <div className="flex flex-col gap-2">
        <Label htmlFor={filterId}>{t('adminModels.chooser.filter')}</Label>
        <Input
          id={filterId}
          type="search"
          value={filter}
          onChange={(event) => setFilter(event.target.value)}
          autoComplete="off"
        />
      </div>
      <ul className="flex max-h-72 flex-col gap-1 overflow-y-auto rounded-md border p-2">
        {matching.slice(0, SHOWN_MAX).map((model) => (
          <li key={model.id}>
            <label className="flex cursor-pointer items-start gap-2 rounded px-1 py-1 text-sm hover:bg-muted">
              <input
                type="checkbox"
                className="mt-0.5 size-4 accent-primary"
                checked={selected.has(model.id)}
                onChange={(event) => toggle(model.id, event.target.checked)}
              />
              <span className="min-w-0 break-all">
                {model.id}
                {model.name && model.name !== model.id && (
                  <span className="text-muted-foreground"> · {model.name}</span>
                )}
              </span>
            </label>
          </li>
        ))}
        {matching.length === 0 && (
          <li className="px-1 py-2 text-sm text-muted-foreground">
            {t('adminModels.chooser.none')}
          </li>
        )}
      </ul>
      {matching.length > SHOWN_MAX && (
        <p className="text-sm text-muted-foreground">
          {t('adminModels.chooser.more', { count: matching.length - SHOWN_MAX })}
        </p>
      )}
      <div className="flex flex-wrap items-center justify-between gap-2">
        <p className="text-sm text-muted-foreground">
          {t('adminModels.chooser.selected', { count: selected.size })}
        </p>
        <Button
          size="sm"
          pending={saving}
          onClick={() =>
            onSave(
              all
                .filter((m) => selected.has(m.id))
                .map((m) => ({ id: m.id, label: labels.get(m.id) ?? null })),
            )
          }
        >
          {t('adminModels.chooser.save')}
        </Button>
      </div>
    </fieldset>
  )
}
