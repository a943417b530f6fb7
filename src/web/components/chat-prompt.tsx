import { CircleAlert, MessageSquareText, X } from 'lucide-react'
import { type FormEvent, useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { McpPromptMatch, PromptPartData } from '../../shared/mcp-prompts.ts'
import { ErrorAlert } from './error-alert.tsx'
import { CompletionInput } from './template-form.tsx'
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
import { Spinner } from './ui/spinner.tsx'

// A server's prompt in the chat (the composer's `/`): its arguments asked for, the prompt shown
// above the box until sent, and the sent message marked as starting with it.

/** The prompt a message being written starts with. */
export type ComposerPromptState =
  | { status: 'loading'; match: McpPromptMatch }
  | { status: 'ready'; match: McpPromptMatch; data: PromptPartData }
  | { status: 'failed'; match: McpPromptMatch; error: unknown }

export function promptLabel(prompt: { title: string | null; name: string }): string {
  return prompt.title ?? prompt.name
}

/** Asks for a prompt's arguments (with the server's suggestions), then fills it in. */
export function PromptArgumentsDialog({
  prompt,
  onFill,
  onClose,
}: {
  prompt: McpPromptMatch | null
  /** Resolves once the prompt is filled in; rejects with the server's refusal. */
  onFill: (args: Record<string, string>) => Promise<void>
  onClose: () => void
}) {
  const { t } = useTranslation()
  const id = useId()
  const [values, setValues] = useState<Record<string, string>>({})
  const [pending, setPending] = useState(false)
  const [error, setError] = useState<unknown>(null)
  const close = () => {
    setValues({})
    setError(null)
    onClose()
  }
  const submit = async (event: FormEvent) => {
    event.preventDefault()
    // The composer's form holds this one in the React tree: its submit must not send.
    event.stopPropagation()
    setPending(true)
    setError(null)
    try {
      const filled = Object.fromEntries(Object.entries(values).filter(([, value]) => value !== ''))
      await onFill(filled)
      setValues({})
    } catch (cause) {
      setError(cause)
    } finally {
      setPending(false)
    }
  }
  return (
    <Dialog open={prompt !== null} onOpenChange={(open) => !open && close()}>
      <DialogContent closeLabel={t('common.close')}>
        <DialogHeader>
          <DialogTitle>
            {t('chat.prompt.dialogTitle', { name: prompt ? promptLabel(prompt) : '' })}
          </DialogTitle>
          <DialogDescription>
            {t('chat.prompt.dialogDescription', { server: prompt?.serverName ?? '' })}
          </DialogDescription>
        </DialogHeader>
        {prompt && (
          <form className="flex flex-col gap-4" onSubmit={submit}>
            {prompt.description && <p className="text-sm">{prompt.description}</p>}
            {prompt.arguments.map((argument, index) => (
              <div key={argument.name} className="flex flex-col gap-1.5">
                <Label htmlFor={`${id}-${argument.name}`}>
                  {argument.title ?? argument.name}
                  {argument.required && (
                    <span className="text-muted-foreground"> ({t('chat.prompt.required')})</span>
                  )}
                </Label>
                <CompletionInput
                  id={`${id}-${argument.name}`}
                  serverId={prompt.serverId}
                  completionRef={{ type: 'ref/prompt', name: prompt.name }}
                  name={argument.name}
                  values={values}
                  onValueChange={(value) => setValues({ ...values, [argument.name]: value })}
                  required={argument.required}
                  autoFocus={index === 0}
                  aria-describedby={
                    argument.description ? `${id}-${argument.name}-hint` : undefined
                  }
                />
                {argument.description && (
                  <p id={`${id}-${argument.name}-hint`} className="text-xs text-muted-foreground">
                    {argument.description}
                  </p>
                )}
              </div>
            ))}
            {error !== null && <ErrorAlert error={error} />}
            <DialogFooter>
              <Button type="button" variant="outline" onClick={close}>
                {t('common.cancel')}
              </Button>
              <Button type="submit" disabled={pending}>
                {pending && (
                  <Spinner label={t('chat.prompt.loading', { name: promptLabel(prompt) })} />
                )}
                {t('chat.prompt.use')}
              </Button>
            </DialogFooter>
          </form>
        )}
      </DialogContent>
    </Dialog>
  )
}

/** The prompt above the message box: what it says (folded), and a button to take it off. */
export function ComposerPrompt({
  prompt,
  onRemove,
}: {
  prompt: ComposerPromptState
  onRemove: () => void
}) {
  const { t } = useTranslation()
  const name = promptLabel(prompt.match)
  const remove = (
    <button
      type="button"
      onClick={onRemove}
      aria-label={t('chat.prompt.remove', { name })}
      title={t('chat.prompt.remove', { name })}
      className="flex size-6 shrink-0 cursor-pointer items-center justify-center rounded-full text-muted-foreground hover:bg-accent hover:text-foreground focus-visible:ring-2 focus-visible:ring-ring focus-visible:outline-none"
    >
      <X className="size-3.5" aria-hidden="true" />
    </button>
  )
  if (prompt.status === 'failed') {
    return (
      <div
        role="alert"
        className="mx-1 mt-1 flex items-start gap-2 rounded-lg border border-destructive/50 bg-destructive/5 py-1.5 pr-1 pl-2.5 text-xs text-destructive"
      >
        <CircleAlert className="mt-0.5 size-3.5 shrink-0" aria-hidden="true" />
        <div className="min-w-0 flex-1">
          <ErrorAlert error={prompt.error} />
        </div>
        {remove}
      </div>
    )
  }
  return (
    <div
      className="mx-1 mt-1 flex items-start gap-2 rounded-lg border bg-muted/40 py-1.5 pr-1 pl-2.5 text-xs"
      data-composer-prompt={prompt.status}
    >
      <MessageSquareText
        className="mt-0.5 size-4 shrink-0 text-muted-foreground"
        aria-hidden="true"
      />
      <div className="flex min-w-0 flex-1 flex-col gap-1">
        <p>
          <span className="font-medium">{name}</span>{' '}
          <span className="text-muted-foreground">
            {t('chat.attachments.fromServer', { server: prompt.match.serverName })}
          </span>
        </p>
        {prompt.status === 'loading' ? (
          <span className="flex items-center gap-2 text-muted-foreground">
            <Spinner label={t('chat.prompt.loading', { name })} className="[&_svg]:size-3.5" />
            <span aria-hidden="true">{t('chat.prompt.loading', { name })}</span>
          </span>
        ) : (
          <PromptText text={prompt.data.text} />
        )}
      </div>
      {remove}
    </div>
  )
}

/** A sent message's prompt: which prompt of which server, and what it said (folded). */
export function MessagePrompt({ data }: { data: PromptPartData }) {
  const { t } = useTranslation()
  return (
    <div
      className="flex max-w-[85%] flex-col gap-1 rounded-lg border bg-background px-3 py-2 text-xs"
      data-message-prompt=""
    >
      <p className="flex items-center gap-2">
        <MessageSquareText className="size-4 shrink-0 text-muted-foreground" aria-hidden="true" />
        <span>{t('chat.prompt.from', { name: promptLabel(data), server: data.server })}</span>
      </p>
      <PromptText text={data.text} />
    </div>
  )
}

function PromptText({ text }: { text: string }) {
  const { t } = useTranslation()
  return (
    <details className="group">
      <summary className="cursor-pointer text-muted-foreground hover:text-foreground">
        {t('chat.prompt.show')}
      </summary>
      <pre className="mt-1 max-h-60 overflow-auto rounded-md bg-muted/50 p-2 font-mono text-xs break-words whitespace-pre-wrap">
        {text}
      </pre>
    </details>
  )
}
