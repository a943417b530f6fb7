import { Braces, FileText, MessageSquareText } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import { cn } from './ui/cn.ts'
import { Spinner } from './ui/spinner.tsx'

/**
 * What the composer offers as the user types: `@…` (anywhere, after a space) for a server's
 * resources to attach, `/…` (at the very start) for a server's prompts.
 */
export interface ComposerTrigger {
  kind: 'resource' | 'prompt'
  /** What follows the `@` or `/`, up to the caret. */
  query: string
  /** Where the `@` or `/` is: the text from here to the caret is replaced by the pick. */
  start: number
}

/** The trigger the text before the caret ends in, if any. */
export function findTrigger(text: string, caret: number): ComposerTrigger | null {
  const before = text.slice(0, caret)
  const prompt = /^\/([^\s/]*)$/.exec(before)
  if (prompt) return { kind: 'prompt', query: prompt[1] ?? '', start: 0 }
  const resource = /(^|\s)@([^\s@]*)$/.exec(before)
  if (resource) {
    const query = resource[2] ?? ''
    return { kind: 'resource', query, start: caret - query.length - 1 }
  }
  return null
}

export interface ComposerMenuItem {
  key: string
  icon: 'resource' | 'template' | 'prompt'
  label: string
  /** The server it comes from. */
  server: string
  description: string | null
  /** The URI or the prompt's name, for a person telling two alike items apart. */
  detail: string
}

/** The list above the box; the box keeps focus and moves through it with the arrow keys. */
export function ComposerMenu({
  id,
  kind,
  items,
  active,
  loading,
  onPick,
  onHover,
}: {
  id: string
  kind: ComposerTrigger['kind']
  items: readonly ComposerMenuItem[]
  active: number
  loading: boolean
  onPick: (index: number) => void
  onHover: (index: number) => void
}) {
  const { t } = useTranslation()
  const title = kind === 'resource' ? t('chat.menu.resources') : t('chat.menu.prompts')
  return (
    <div
      className="absolute right-0 bottom-full left-0 z-20 mb-2 flex max-h-72 flex-col overflow-hidden rounded-lg border bg-card text-card-foreground shadow-lg"
      data-composer-menu={kind}
    >
      <p className="flex items-center justify-between gap-2 border-b px-3 py-1.5 text-xs font-medium text-muted-foreground">
        <span id={`${id}-title`}>{title}</span>
        <span aria-hidden="true">{t('chat.menu.keys')}</span>
      </p>
      {items.length === 0 ? (
        <p
          className="flex items-center gap-2 px-3 py-3 text-sm text-muted-foreground"
          role="status"
        >
          {loading ? (
            <>
              <Spinner label={t('chat.menu.loading')} />
              <span aria-hidden="true">{t('chat.menu.loading')}</span>
            </>
          ) : kind === 'resource' ? (
            t('chat.menu.noResources')
          ) : (
            t('chat.menu.noPrompts')
          )}
        </p>
      ) : (
        <div
          id={id}
          role="listbox"
          aria-labelledby={`${id}-title`}
          className="flex flex-col overflow-y-auto p-1"
        >
          {items.map((item, index) => (
            // biome-ignore lint/a11y/useKeyWithClickEvents: the box keeps focus and takes the keys (aria-activedescendant)
            <div
              key={item.key}
              id={`${id}-${index}`}
              role="option"
              tabIndex={-1}
              aria-selected={index === active}
              // Keeps the box focused: a click must not blur it (and close the list) first.
              onMouseDown={(event) => event.preventDefault()}
              onClick={() => onPick(index)}
              onMouseMove={() => index !== active && onHover(index)}
              ref={index === active ? (node) => node?.scrollIntoView({ block: 'nearest' }) : null}
              className={cn(
                'flex cursor-pointer items-start gap-2 rounded-md px-2 py-1.5 text-sm',
                index === active && 'bg-accent text-accent-foreground',
              )}
            >
              <ItemIcon icon={item.icon} />
              <span className="flex min-w-0 flex-1 flex-col">
                <span className="flex min-w-0 items-baseline gap-2">
                  <span className="truncate font-medium">{item.label}</span>
                  <span className="shrink-0 text-xs text-muted-foreground">{item.server}</span>
                </span>
                <span className="truncate font-mono text-xs text-muted-foreground">
                  {item.detail}
                </span>
                {item.description && (
                  <span className="line-clamp-1 text-xs text-muted-foreground">
                    {item.description}
                  </span>
                )}
              </span>
            </div>
          ))}
        </div>
      )}
    </div>
  )
}

function ItemIcon({ icon }: { icon: ComposerMenuItem['icon'] }) {
  const className = 'mt-0.5 size-4 shrink-0 text-muted-foreground'
  if (icon === 'template') return <Braces className={className} aria-hidden="true" />
  if (icon === 'prompt') return <MessageSquareText className={className} aria-hidden="true" />
  return <FileText className={className} aria-hidden="true" />
}
