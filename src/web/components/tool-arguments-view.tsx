import { Braces, ListTree } from 'lucide-react'
import { type ReactNode, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { JsonBlock } from './tool-result-view.tsx'
import { Button } from './ui/button.tsx'

/** Deeper than this, a value is shown as JSON: a form this deep is no easier to read. */
const MAX_DEPTH = 4
/** Strings longer than this start folded. */
const LONG_TEXT_CHARS = 400

type Json = null | boolean | number | string | Json[] | { [key: string]: Json }
type Schema = { title?: unknown; description?: unknown; properties?: Record<string, Schema> }

export interface ToolArgumentsViewProps {
  value: unknown
  /** The tool's input schema: its field titles label the values. */
  schema?: Record<string, unknown> | null
  /** The arguments to read before deciding: open as a form, not folded. */
  labelledBy?: string
}

/**
 * A call's arguments as a person reads them: each field under its name (or the schema's title),
 * text as text, lists as lists, nested objects indented; the raw JSON one click away.
 */
export function ToolArgumentsView({ value, schema, labelledBy }: ToolArgumentsViewProps) {
  const { t } = useTranslation()
  const [raw, setRaw] = useState(false)
  const isObject = typeof value === 'object' && value !== null && !Array.isArray(value)
  const empty = isObject && Object.keys(value).length === 0
  return (
    <div className="flex flex-col gap-2" data-arguments={raw ? 'json' : 'form'}>
      {empty ? (
        <p className="text-muted-foreground">{t('chat.tool.noArguments')}</p>
      ) : raw || !isObject ? (
        <JsonBlock value={value ?? {}} />
      ) : (
        <Fields
          value={value as Record<string, Json>}
          schema={(schema ?? undefined) as Schema | undefined}
          depth={0}
          labelledBy={labelledBy}
        />
      )}
      {!empty && isObject && (
        <Button
          variant="ghost"
          size="sm"
          className="h-7 self-start px-2 text-xs"
          aria-pressed={raw}
          onClick={() => setRaw(!raw)}
        >
          {raw ? <ListTree aria-hidden="true" /> : <Braces aria-hidden="true" />}
          {raw ? t('chat.tool.showAsForm') : t('chat.tool.showJson')}
        </Button>
      )}
    </div>
  )
}

function Fields({
  value,
  schema,
  depth,
  labelledBy,
}: {
  value: Record<string, Json>
  schema: Schema | undefined
  depth: number
  labelledBy?: string | undefined
}) {
  return (
    <dl
      aria-labelledby={labelledBy}
      className="grid grid-cols-1 gap-x-4 gap-y-2 sm:grid-cols-[minmax(6rem,max-content)_1fr]"
    >
      {Object.entries(value).map(([key, inner]) => {
        const field = schema?.properties?.[key]
        const title = typeof field?.title === 'string' && field.title.trim() ? field.title : key
        return (
          <div key={key} className="contents" data-field={key}>
            <dt className="font-medium break-words text-muted-foreground" title={key}>
              {title}
            </dt>
            <dd className="min-w-0">
              <Value value={inner} schema={field} depth={depth + 1} />
            </dd>
          </div>
        )
      })}
    </dl>
  )
}

function Value({
  value,
  schema,
  depth,
}: {
  value: Json
  schema: Schema | undefined
  depth: number
}): ReactNode {
  const { t, i18n } = useTranslation()
  if (value === null) return <span className="text-muted-foreground">—</span>
  if (typeof value === 'boolean') return t(value ? 'common.yes' : 'common.no')
  if (typeof value === 'number') return value.toLocaleString(i18n.language)
  if (typeof value === 'string') return <Text text={value} />
  if (depth > MAX_DEPTH) return <JsonBlock value={value} />
  if (Array.isArray(value)) {
    if (value.length === 0)
      return <span className="text-muted-foreground">{t('chat.tool.emptyList')}</span>
    return (
      <ol className="flex list-decimal flex-col gap-1 pl-5">
        {value.map((item, index) => (
          // Items have no identity of their own: their place is their key.
          // biome-ignore lint/suspicious/noArrayIndexKey: see above
          <li key={index}>
            <Value value={item} schema={undefined} depth={depth + 1} />
          </li>
        ))}
      </ol>
    )
  }
  return (
    <div className="border-l-2 pl-3">
      <Fields value={value} schema={schema} depth={depth} />
    </div>
  )
}

function Text({ text }: { text: string }) {
  const { t } = useTranslation()
  const long = text.length > LONG_TEXT_CHARS
  const [open, setOpen] = useState(false)
  if (text === '') return <span className="text-muted-foreground">{t('chat.tool.emptyText')}</span>
  return (
    <span className="flex flex-col items-start gap-1">
      <span className="break-words whitespace-pre-wrap">
        {long && !open ? `${text.slice(0, LONG_TEXT_CHARS)}…` : text}
      </span>
      {long && (
        <Button
          variant="link"
          size="sm"
          className="h-auto px-0 text-xs"
          aria-expanded={open}
          onClick={() => setOpen(!open)}
        >
          {open ? t('tools.showLess') : t('tools.showMore')}
        </Button>
      )}
    </span>
  )
}
