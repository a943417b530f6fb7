import { ExternalLink } from 'lucide-react'
import { useId } from 'react'
import { useTranslation } from 'react-i18next'
import type { ElicitationAnswer, UrlElicitationView } from '../../shared/elicitations.ts'
import { Button } from './ui/button.tsx'
import { DialogFooter } from './ui/dialog.tsx'

type Action = ElicitationAnswer['action']

/**
 * A URL-mode question's answers: where the link goes (its host large, the whole address below),
 * then Decline or Open link. Opening is the accept, and it is the user's own click on a real
 * link: nothing opens by itself, and the new tab gets neither this page nor a referrer.
 */
export function ElicitationLink({
  elicitation,
  pendingAction,
  onAnswer,
}: {
  elicitation: UrlElicitationView
  pendingAction: Action | null
  onAnswer: (action: 'accept' | 'decline') => void
}) {
  const { t } = useTranslation()
  const hostId = useId()
  const busy = pendingAction !== null
  const server = elicitation.serverName

  return (
    <div className="flex flex-col gap-5">
      <dl
        aria-label={t('elicitation.link.details', { server })}
        className="flex flex-col gap-1 rounded-lg border bg-muted/50 p-4"
      >
        <dt className="text-sm text-muted-foreground">{t('elicitation.link.host')}</dt>
        <dd
          id={hostId}
          className="text-xl leading-tight font-semibold break-all"
          data-testid="elicitation-host"
        >
          {elicitation.host}
        </dd>
        <dt className="mt-3 text-sm text-muted-foreground">{t('elicitation.link.url')}</dt>
        <dd className="font-mono text-xs break-all" data-testid="elicitation-url">
          {elicitation.url}
        </dd>
      </dl>
      <p className="text-sm text-muted-foreground">{t('elicitation.link.hint', { server })}</p>
      <DialogFooter>
        <Button
          variant="outline"
          disabled={busy}
          pending={pendingAction === 'decline'}
          onClick={() => onAnswer('decline')}
        >
          {t('elicitation.decline')}
        </Button>
        <Button asChild>
          <a
            href={elicitation.url}
            target="_blank"
            rel="noopener noreferrer"
            aria-describedby={hostId}
            title={t('elicitation.link.opensInNewTab', { host: elicitation.host })}
            aria-disabled={busy || undefined}
            className={busy ? 'pointer-events-none opacity-50' : undefined}
            // The browser follows the link; the server hears that the user agreed.
            onClick={(event) => {
              if (busy) event.preventDefault()
              else onAnswer('accept')
            }}
          >
            {t('elicitation.link.open')}
            <ExternalLink aria-hidden="true" />
          </a>
        </Button>
      </DialogFooter>
    </div>
  )
}
