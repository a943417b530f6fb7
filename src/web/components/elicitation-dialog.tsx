import { useQuery } from '@tanstack/react-query'
import { type FormEvent, useEffect, useMemo, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { toast } from 'sonner'
import type {
  ElicitationAnswer,
  ElicitationView,
  FormElicitationView,
} from '../../shared/elicitations.ts'
import { ApiError } from '../api/client.ts'
import { elicitationQueries, useAnswerElicitation } from '../api/elicitations.ts'
import { useErrorMessage } from '../hooks/use-error-message.ts'
import { ElicitationLink } from './elicitation-link.tsx'
import { SchemaForm } from './schema-form.tsx'
import {
  formForSchema,
  initialValue,
  type JsonObject,
  normalizeFieldErrors,
  type ObjectNode,
  setAt,
  unplacedErrors,
} from './schema-form-model.ts'
import { Button } from './ui/button.tsx'
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from './ui/dialog.tsx'
import { FieldError } from './ui/field-error.tsx'

type Action = ElicitationAnswer['action']

/**
 * Questions MCP servers ask the user in the middle of a tool call (elicitation), wherever the
 * user is: a form to fill in or a link to open, the oldest pending one in a dialog, the next
 * after it is answered. Mounted once in the
 * app shell; the list comes from the API and stays current through the shell's server events.
 */
export function ElicitationDialog() {
  const { data: pending = [] } = useQuery(elicitationQueries.pending())
  const current = pending[0]
  if (!current) return null
  // Keyed: each question starts from its own defaults, and the dialog focuses its first field.
  return <ElicitationQuestion key={current.id} elicitation={current} total={pending.length} />
}

function ElicitationQuestion({
  elicitation,
  total,
}: {
  elicitation: ElicitationView
  total: number
}) {
  const { t } = useTranslation()
  const errorMessage = useErrorMessage()
  const answer = useAnswerElicitation()
  const pendingAction = answer.isPending ? answer.variables.answer.action : null
  const isLink = elicitation.mode === 'url'

  const send = (action: Action, content?: ElicitationAnswer['content']) => {
    if (answer.isPending) return
    answer.mutate(
      { id: elicitation.id, answer: { action, content } },
      {
        onError: (error) => {
          if (error instanceof ApiError && error.code === 'validation_failed') return
          if (error instanceof ApiError && error.status === 404) toast.info(t('elicitation.gone'))
          else toast.error(errorMessage(error))
        },
      },
    )
  }

  return (
    // Always open while the question is pending: closing (Escape, the corner button) cancels,
    // and the dialog goes once the answer is delivered.
    <Dialog open onOpenChange={(open) => !open && send('cancel')}>
      <DialogContent
        closeLabel={t('common.close')}
        className="sm:max-w-xl"
        // A stray click beside the dialog should not throw away the answer being typed.
        onInteractOutside={(event) => event.preventDefault()}
      >
        <DialogHeader>
          {total > 1 && (
            <p className="text-sm text-muted-foreground">
              {t('elicitation.position', { position: 1, total })}
            </p>
          )}
          <DialogTitle>
            {t(isLink ? 'elicitation.link.title' : 'elicitation.title', {
              server: elicitation.serverName,
            })}
          </DialogTitle>
          {elicitation.calls.length > 0 && (
            <p className="text-sm text-muted-foreground" data-testid="elicitation-asker">
              {t('elicitation.askedDuring', {
                tools: [...new Set(elicitation.calls.map((call) => call.toolName))].join(', '),
                count: elicitation.calls.length,
              })}
            </p>
          )}
          {/* The server's words, as plain text: they are not ours to trust with markup. */}
          <DialogDescription className="break-words whitespace-pre-line">
            {elicitation.message}
          </DialogDescription>
        </DialogHeader>
        {elicitation.mode === 'url' ? (
          <ElicitationLink
            elicitation={elicitation}
            pendingAction={pendingAction}
            onAnswer={(action) => send(action)}
          />
        ) : (
          <ElicitationForm
            elicitation={elicitation}
            pendingAction={pendingAction}
            error={answer.error}
            onAnswer={send}
          />
        )}
      </DialogContent>
    </Dialog>
  )
}

function ElicitationForm({
  elicitation,
  pendingAction,
  error,
  onAnswer,
}: {
  elicitation: FormElicitationView
  pendingAction: Action | null
  error: Error | null
  onAnswer: (action: Action, content?: ElicitationAnswer['content']) => void
}) {
  const { t } = useTranslation()
  const formRef = useRef<HTMLFormElement>(null)
  const form = useMemo(() => formFor(elicitation.requestedSchema), [elicitation.requestedSchema])
  const [value, setValue] = useState(() => initialValue(form))
  const busy = pendingAction !== null

  const fieldErrors =
    error instanceof ApiError ? normalizeFieldErrors(error.fieldErrors(t), 'content') : {}
  const unplaced = unplacedErrors(form, fieldErrors)
  const hasFieldErrors = Object.keys(fieldErrors).length > 0

  // After a refusal naming fields, take the keyboard to the first one.
  useEffect(() => {
    if (!hasFieldErrors) return
    formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus()
  }, [hasFieldErrors])

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    // The form's values as the schema shaped them; the server checks them against it.
    onAnswer('accept', value as ElicitationAnswer['content'])
  }

  return (
    <form
      ref={formRef}
      noValidate
      onSubmit={onSubmit}
      aria-label={t('elicitation.formLabel', { server: elicitation.serverName })}
      className="flex flex-col gap-5"
    >
      {form.fields.length > 0 && (
        <SchemaForm
          node={form}
          value={value}
          onChange={(path, next) => setValue((current) => setAt(current, path, next))}
          errors={fieldErrors}
          disabled={busy}
          showNames={false}
        />
      )}
      {unplaced.length > 0 && (
        <ul className="flex flex-col gap-1" aria-label={t('elicitation.otherErrors')}>
          {unplaced.map(([field, message]) => (
            <li key={field}>
              <FieldError>
                {field ? <span className="font-mono">{field}: </span> : null}
                {message}
              </FieldError>
            </li>
          ))}
        </ul>
      )}
      <p className="text-sm text-muted-foreground">{t('elicitation.hint')}</p>
      {/* Kept in view while a long form scrolls (the offsets undo the dialog's padding). */}
      <DialogFooter className="sticky -bottom-6 -mx-6 -mb-6 border-t bg-card px-6 py-4">
        <Button
          variant="ghost"
          disabled={busy}
          pending={pendingAction === 'cancel'}
          onClick={() => onAnswer('cancel')}
        >
          {t('elicitation.cancel')}
        </Button>
        <Button
          variant="outline"
          disabled={busy}
          pending={pendingAction === 'decline'}
          onClick={() => onAnswer('decline')}
        >
          {t('elicitation.decline')}
        </Button>
        <Button type="submit" disabled={busy} pending={pendingAction === 'accept'}>
          {t('elicitation.submit')}
        </Button>
      </DialogFooter>
    </form>
  )
}

/** A question's form; a schema no form can show still gets the three answers, with no fields. */
function formFor(schema: JsonObject): ObjectNode {
  return formForSchema(schema, { choices: true }) ?? { kind: 'object', schema, fields: [] }
}
