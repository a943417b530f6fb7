import { useQuery } from '@tanstack/react-query'
import { type FormEvent, type InputHTMLAttributes, useDeferredValue, useId, useState } from 'react'
import type { CompletionRequest } from '../../shared/mcp-completions.ts'
import { completionQuery } from '../api/mcp-servers.ts'
import { Button } from './ui/button.tsx'
import { Input } from './ui/input.tsx'
import { Label } from './ui/label.tsx'

/**
 * A resource template's variables as fields, each with the server's suggestions as the user
 * types; submitting gives the URI they make.
 */
export function TemplateForm({
  serverId,
  template,
  submitLabel,
  submitAriaLabel,
  onSubmit,
  autoFocus = false,
}: {
  serverId: string
  /** The RFC 6570 template (`file:///{path}`). */
  template: string
  submitLabel: string
  submitAriaLabel?: string
  /** The URI made, and the values it was made of. */
  onSubmit: (uri: string, values: Record<string, string>) => void
  autoFocus?: boolean
}) {
  const id = useId()
  const variables = templateVariables(template)
  const [values, setValues] = useState<Record<string, string>>({})
  const submit = (event: FormEvent) => {
    event.preventDefault()
    // The composer's form holds this one in the page: its submit must not send the message.
    event.stopPropagation()
    onSubmit(expandTemplate(template, values), values)
  }
  return (
    <form className="flex flex-col gap-2 sm:flex-row sm:flex-wrap sm:items-end" onSubmit={submit}>
      {variables.map((name, index) => (
        <div key={name} className="flex flex-col gap-1">
          <Label htmlFor={`${id}-${name}`} className="font-mono text-xs">
            {name}
          </Label>
          <CompletionInput
            id={`${id}-${name}`}
            serverId={serverId}
            completionRef={{ type: 'ref/resource', uri: template }}
            name={name}
            values={values}
            onValueChange={(value) => setValues({ ...values, [name]: value })}
            required
            autoFocus={autoFocus && index === 0}
          />
        </div>
      ))}
      <Button type="submit" variant="outline" size="sm" aria-label={submitAriaLabel}>
        {submitLabel}
      </Button>
    </form>
  )
}

/**
 * A text field offering the server's suggestions for one argument (`completion/complete`) as
 * a list under it, asked while it has focus; the other fields' values go along as context.
 */
export function CompletionInput({
  serverId,
  completionRef,
  name,
  values,
  onValueChange,
  ...props
}: {
  serverId: string
  completionRef: CompletionRequest['ref']
  name: string
  /** Every field's value, this one's under `name`. */
  values: Record<string, string>
  onValueChange: (value: string) => void
} & Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange' | 'name'>) {
  const listId = useId()
  const [focused, setFocused] = useState(false)
  const value = values[name] ?? ''
  const typed = useDeferredValue(value)
  const context = Object.fromEntries(
    Object.entries(values).filter(([key, filled]) => key !== name && filled !== ''),
  )
  const suggestions = useQuery({
    ...completionQuery(serverId, {
      ref: completionRef,
      argument: { name, value: typed },
      ...(Object.keys(context).length > 0 ? { context: { arguments: context } } : {}),
    }),
    enabled: focused,
  })
  // A suggestion equal to what is typed helps nobody.
  const offered = (suggestions.data ?? []).filter((suggestion) => suggestion !== value)
  return (
    <>
      <Input
        {...props}
        value={value}
        list={offered.length > 0 ? listId : undefined}
        autoComplete="off"
        onFocus={(event) => {
          setFocused(true)
          props.onFocus?.(event)
        }}
        onChange={(event) => onValueChange(event.target.value)}
      />
      <datalist id={listId} data-testid={`suggestions-${name}`}>
        {offered.map((suggestion) => (
          <option key={suggestion} value={suggestion} />
        ))}
      </datalist>
    </>
  )
}

const TEMPLATE_EXPRESSION = /\{([+#./;?&]?)([^}]+)\}/g

/** The variable names of an RFC 6570 template, in order, each once. */
export function templateVariables(template: string): string[] {
  const names = new Set<string>()
  for (const [, , list] of template.matchAll(TEMPLATE_EXPRESSION)) {
    for (const name of (list ?? '').split(',')) names.add(name.replace(/[*]|:\d+$/g, '').trim())
  }
  return [...names].filter(Boolean)
}

/**
 * Fills in a template: `{name}` percent-encoded, `{+name}` with reserved characters kept (a path),
 * `{?name}` as a query. Enough for the templates servers publish; not every RFC 6570 form.
 */
export function expandTemplate(template: string, values: Record<string, string>): string {
  return template.replace(TEMPLATE_EXPRESSION, (_match, operator: string, list: string) => {
    const names = list.split(',').map((name) => name.replace(/[*]|:\d+$/g, '').trim())
    const filled = names.filter((name) => values[name] !== undefined && values[name] !== '')
    if (operator === '?' || operator === '&') {
      const pairs = filled.map((name) => `${name}=${encodeURIComponent(values[name] ?? '')}`)
      return pairs.length ? `${operator}${pairs.join('&')}` : ''
    }
    const encode = operator === '+' || operator === '#' ? encodeURI : encodeURIComponent
    const joined = filled.map((name) => encode(values[name] ?? '')).join(',')
    const prefix = operator === '#' || operator === '.' || operator === '/' ? operator : ''
    return joined ? `${prefix}${joined}` : ''
  })
}
