import { useQuery } from '@tanstack/react-query'
import { Check, Copy } from 'lucide-react'
import { useId, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { toast } from 'sonner'
import { mcpEndpointQuery } from '../api/mcp-endpoint.ts'
import { useCopyToClipboard } from '../hooks/use-copy-to-clipboard.ts'
import { ErrorState } from './error-state.tsx'
import { McpProfilesSection } from './mcp-profiles.tsx'
import { Button } from './ui/button.tsx'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from './ui/card.tsx'
import { Input } from './ui/input.tsx'
import { Label } from './ui/label.tsx'
import { Spinner } from './ui/spinner.tsx'

const CLIENTS = ['cursor', 'vscode', 'claude'] as const
type ClientKind = (typeof CLIENTS)[number]
const TOKEN_PLACEHOLDER = 'sb_…'

/** Each client's own configuration for an HTTP server with a bearer token. */
function configFor(client: ClientKind, url: string): string {
  const auth = `Bearer ${TOKEN_PLACEHOLDER}`
  const config =
    client === 'cursor'
      ? { mcpServers: { switchboard: { url, headers: { Authorization: auth } } } }
      : client === 'vscode'
        ? { servers: { switchboard: { type: 'http', url, headers: { Authorization: auth } } } }
        : {
            mcpServers: {
              switchboard: {
                command: 'npx',
                args: ['mcp-remote', url, '--header', `Authorization: ${auth}`],
              },
            },
          }
  return JSON.stringify(config, null, 2)
}

/** Where MCP clients (Cursor, VS Code, Claude Desktop…) reach the user's tools, and how. */
export function McpEndpointCard() {
  const { t } = useTranslation()
  const id = useId()
  const endpoint = useQuery(mcpEndpointQuery())
  const [client, setClient] = useState<ClientKind>('cursor')
  const urlRef = useRef<HTMLInputElement>(null)
  const { copied, copy } = useCopyToClipboard()
  const copyText = async (text: string, input?: HTMLInputElement | null) => {
    if (!(await copy(text, input))) toast.error(t('settings.endpoint.copyFailed'))
  }
  return (
    <Card aria-labelledby={`${id}-title`}>
      <CardHeader>
        <CardTitle id={`${id}-title`}>{t('settings.endpoint.title')}</CardTitle>
        <CardDescription>{t('settings.endpoint.description')}</CardDescription>
      </CardHeader>
      <CardContent className="flex flex-col gap-4">
        {endpoint.isPending ? (
          <Spinner label={t('common.loading')} />
        ) : endpoint.isError ? (
          <ErrorState error={endpoint.error} onRetry={() => endpoint.refetch()} />
        ) : !endpoint.data.enabled ? (
          <p className="text-sm text-muted-foreground">{t('settings.endpoint.off')}</p>
        ) : (
          <>
            <div className="flex flex-col gap-2">
              <Label htmlFor={`${id}-url`}>{t('settings.endpoint.url')}</Label>
              <div className="flex gap-2">
                <Input
                  id={`${id}-url`}
                  ref={urlRef}
                  readOnly
                  value={endpoint.data.url}
                  className="font-mono"
                  onFocus={(event) => event.currentTarget.select()}
                />
                <Button
                  type="button"
                  variant="outline"
                  onClick={() => copyText(endpoint.data.url, urlRef.current)}
                  aria-label={t('settings.endpoint.copyUrl')}
                >
                  {copied ? <Check aria-hidden="true" /> : <Copy aria-hidden="true" />}
                  {copied ? t('settings.endpoint.copied') : t('settings.endpoint.copy')}
                </Button>
              </div>
              <p className="text-sm text-muted-foreground">{t('settings.endpoint.signIn')}</p>
            </div>
            <fieldset className="flex flex-col gap-2">
              <legend className="mb-2 text-sm font-medium">{t('settings.endpoint.setup')}</legend>
              <div className="flex flex-wrap gap-2" role="radiogroup">
                {CLIENTS.map((kind) => (
                  <Button
                    key={kind}
                    type="button"
                    size="sm"
                    variant={client === kind ? 'default' : 'outline'}
                    role="radio"
                    aria-checked={client === kind}
                    onClick={() => setClient(kind)}
                  >
                    {t(`settings.endpoint.clients.${kind}`)}
                  </Button>
                ))}
              </div>
              <p className="text-sm text-muted-foreground">
                {t(`settings.endpoint.where.${client}`)}
              </p>
              <pre
                className="overflow-x-auto rounded-md bg-muted/50 p-3 font-mono text-xs"
                data-testid="endpoint-config"
              >
                {configFor(client, endpoint.data.url)}
              </pre>
              <Button
                type="button"
                variant="outline"
                size="sm"
                className="self-start"
                onClick={() => copyText(configFor(client, endpoint.data.url))}
              >
                <Copy aria-hidden="true" />
                {t('settings.endpoint.copyConfig')}
              </Button>
            </fieldset>
            <McpProfilesSection />
          </>
        )}
      </CardContent>
    </Card>
  )
}
