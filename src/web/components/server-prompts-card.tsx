import { useQuery } from '@tanstack/react-query'
import { MessageSquareText } from 'lucide-react'
import { useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { McpPromptResult, McpPromptView } from '../../shared/mcp-prompts.ts'
import type { McpServerView } from '../../shared/mcp-servers.ts'
import { getPrompt, serverQueries } from '../api/mcp-servers.ts'
import { PromptArgumentsDialog, promptLabel } from './chat-prompt.tsx'
import { EmptyState } from './empty-state.tsx'
import { ErrorAlert } from './error-alert.tsx'
import { ErrorState } from './error-state.tsx'
import { ContentBlockView } from './tool-result-view.tsx'
import { Button } from './ui/button.tsx'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from './ui/card.tsx'
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogHeader,
  DialogTitle,
} from './ui/dialog.tsx'
import { Skeleton } from './ui/skeleton.tsx'

/** What the server offers as prompts: each with its arguments, to try here or use with `/`. */
export function ServerPromptsCard({ server }: { server: McpServerView }) {
  const { t } = useTranslation()
  const id = useId()
  const listing = useQuery(serverQueries.prompts(server.id))
  const [asking, setAsking] = useState<McpPromptView | null>(null)
  const [result, setResult] = useState<McpPromptResult | null>(null)
  const [failure, setFailure] = useState<unknown>(null)
  const prompts = listing.data?.prompts ?? []

  const fill = async (prompt: McpPromptView, args: Record<string, string>) => {
    setResult(await getPrompt({ serverId: server.id, name: prompt.name, arguments: args }))
    setAsking(null)
  }
  const tryPrompt = (prompt: McpPromptView) => {
    setFailure(null)
    if (prompt.arguments.length > 0) setAsking(prompt)
    else fill(prompt, {}).catch(setFailure)
  }

  return (
    <Card aria-labelledby={`${id}-title`}>
      <CardHeader className="gap-3 sm:flex-row sm:items-start sm:justify-between">
        <div className="flex flex-col gap-1.5">
          <CardTitle id={`${id}-title`}>{t('prompts.title')}</CardTitle>
          <CardDescription>{t('prompts.description')}</CardDescription>
        </div>
        {listing.isSuccess && prompts.length > 0 && (
          <p className="text-sm font-medium whitespace-nowrap">
            {t('prompts.count', { count: prompts.length })}
          </p>
        )}
      </CardHeader>
      <CardContent className="flex flex-col gap-3">
        {listing.isPending ? (
          <div role="status" className="flex flex-col gap-3">
            <span className="sr-only">{t('prompts.loading')}</span>
            <Skeleton className="h-10 w-full" />
          </div>
        ) : listing.isError ? (
          <ErrorState error={listing.error} onRetry={() => listing.refetch()} />
        ) : (
          <>
            {listing.data.error && (
              <p className="text-sm text-muted-foreground" role="note">
                {t('prompts.listError', { error: listing.data.error })}
              </p>
            )}
            {failure !== null && <ErrorAlert error={failure} />}
            {prompts.length === 0 ? (
              <EmptyState icon={MessageSquareText} title={t('prompts.emptyTitle')}>
                <p>{t('prompts.emptyBody')}</p>
              </EmptyState>
            ) : (
              <ul
                className="flex flex-col divide-y"
                aria-label={t('prompts.listLabel', { name: server.name })}
              >
                {prompts.map((prompt) => (
                  <li
                    key={prompt.id}
                    className="flex flex-col gap-2 py-3 sm:flex-row sm:items-center sm:justify-between"
                  >
                    <div className="flex min-w-0 flex-col gap-0.5">
                      <p className="font-medium break-words">{promptLabel(prompt)}</p>
                      <p className="font-mono text-xs break-all text-muted-foreground">
                        /{prompt.name}
                      </p>
                      {prompt.description && (
                        <p className="text-sm text-muted-foreground">{prompt.description}</p>
                      )}
                      {prompt.arguments.length > 0 && (
                        <p className="text-xs text-muted-foreground">
                          {t('prompts.arguments', {
                            list: prompt.arguments
                              .map((argument) =>
                                argument.required ? `${argument.name}*` : argument.name,
                              )
                              .join(', '),
                          })}
                        </p>
                      )}
                    </div>
                    <Button
                      variant="outline"
                      size="sm"
                      className="self-start sm:self-center"
                      aria-label={t('prompts.tryLabel', { name: promptLabel(prompt) })}
                      onClick={() => tryPrompt(prompt)}
                    >
                      {t('prompts.try')}
                    </Button>
                  </li>
                ))}
              </ul>
            )}
          </>
        )}
      </CardContent>
      <PromptArgumentsDialog
        prompt={asking ? { ...asking, serverName: server.name } : null}
        onFill={(args) => (asking ? fill(asking, args) : Promise.resolve())}
        onClose={() => setAsking(null)}
      />
      <Dialog open={result !== null} onOpenChange={(open) => !open && setResult(null)}>
        <DialogContent className="sm:max-w-2xl" closeLabel={t('common.close')}>
          <DialogHeader>
            <DialogTitle>{result ? promptLabel(result) : ''}</DialogTitle>
            <DialogDescription>{result?.description ?? t('prompts.resultHint')}</DialogDescription>
          </DialogHeader>
          <ol className="flex flex-col gap-3" data-testid="prompt-messages">
            {result?.messages.map((message, index) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: a prompt's messages never reorder
              <li key={index} className="flex flex-col gap-1.5">
                <p className="text-xs font-medium tracking-wide text-muted-foreground uppercase">
                  {t(`prompts.role.${message.role}`)}
                </p>
                <ContentBlockView block={message.content} serverId={server.id} />
              </li>
            ))}
          </ol>
        </DialogContent>
      </Dialog>
    </Card>
  )
}
