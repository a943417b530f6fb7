import { Play, RotateCcw, SquareTerminal } from 'lucide-react'
import { type FormEvent, useEffect, useId, useMemo, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { McpToolView } from '../../shared/mcp-servers.ts'
import { ApiError } from '../api/client.ts'
import { useRunToolCall } from '../api/tool-calls.ts'
import { ErrorAlert } from './error-alert.tsx'
import {
  formForSchema,
  initialValue,
  type JsonObject,
  normalizeFieldErrors,
} from './schema-form-model.ts'
import { ToolTesterInput, useTesterInput } from './tool-tester-input.tsx'
import { ToolTesterRun } from './tool-tester-run.tsx'
import { Button } from './ui/button.tsx'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from './ui/card.tsx'

interface Run {
  /** Numbers the runs, so each gets a fresh panel. */
  seq: number
  startedAt: number
  callId: string | null
}

export interface ToolTesterProps {
  tool: McpToolView
  /** Arguments to start from (a past call's input); else the schema's defaults. */
  initialInput?: JsonObject
}

/**
 * Runs one tool by hand: arguments from a form generated from its input schema (or raw JSON),
 * sent as a manual, asynchronous call, then followed until it ends.
 */
export function ToolTester({ tool, initialInput }: ToolTesterProps) {
  const { t } = useTranslation()
  const id = useId()
  const formRef = useRef<HTMLFormElement>(null)
  const form = useMemo(() => formForSchema(tool.inputSchema), [tool.inputSchema])
  const initial = useMemo(
    () => initialInput ?? (form ? initialValue(form) : {}),
    [initialInput, form],
  )
  const input = useTesterInput(form, initial)
  const runCall = useRunToolCall()
  const [run, setRun] = useState<Run | null>(null)

  const fieldErrors =
    runCall.error instanceof ApiError ? normalizeFieldErrors(runCall.error.fieldErrors(t)) : {}
  const hasFieldErrors = Object.keys(fieldErrors).length > 0

  // After a refusal naming fields, take the keyboard to the first one.
  useEffect(() => {
    if (!hasFieldErrors) return
    formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus()
  }, [hasFieldErrors])

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    if (!input.args) {
      document.getElementById(`${id}-json`)?.focus()
      return
    }
    const seq = (run?.seq ?? 0) + 1
    setRun({ seq, startedAt: Date.now(), callId: null })
    runCall.mutate(
      { toolId: tool.id, arguments: input.args, mode: 'async', source: 'manual' },
      {
        onSuccess: ({ call }) =>
          setRun((current) => (current?.seq === seq ? { ...current, callId: call.id } : current)),
        onError: () => setRun((current) => (current?.seq === seq ? null : current)),
      },
    )
  }

  return (
    <div className="grid items-start gap-6 lg:grid-cols-2">
      <Card aria-labelledby={`${id}-input-title`}>
        <CardHeader>
          <CardTitle id={`${id}-input-title`}>{t('tester.input.title')}</CardTitle>
          <CardDescription>{t('tester.input.description')}</CardDescription>
        </CardHeader>
        <CardContent>
          <form
            ref={formRef}
            noValidate
            onSubmit={onSubmit}
            aria-label={t('tester.input.formLabel', { name: tool.name })}
            className="flex flex-col gap-5"
          >
            <ToolTesterInput
              input={input}
              form={form}
              errors={fieldErrors}
              jsonEditorId={`${id}-json`}
            />
            <ErrorAlert error={runCall.error} />
            <div className="flex flex-wrap gap-2">
              <Button type="submit" pending={runCall.isPending}>
                {!runCall.isPending && <Play aria-hidden="true" />}
                {t('tester.run.run')}
              </Button>
              <Button variant="outline" onClick={input.reset}>
                <RotateCcw aria-hidden="true" />
                {t('tester.input.reset')}
              </Button>
            </div>
          </form>
        </CardContent>
      </Card>

      <Card aria-labelledby={`${id}-result-title`}>
        <CardHeader>
          <CardTitle id={`${id}-result-title`}>{t('tester.result.title')}</CardTitle>
        </CardHeader>
        <CardContent>
          {run ? (
            <ToolTesterRun
              key={run.seq}
              toolName={tool.name}
              callId={run.callId}
              startedAt={run.startedAt}
              starting={runCall.isPending}
            />
          ) : (
            <div className="flex flex-col items-center gap-2 rounded-lg border border-dashed px-4 py-10 text-center text-sm text-muted-foreground">
              <SquareTerminal className="size-6" aria-hidden="true" />
              <p>{t('tester.result.none')}</p>
            </div>
          )}
        </CardContent>
      </Card>
    </div>
  )
}
