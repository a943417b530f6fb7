import {
  AppBridge,
  buildAllowAttribute,
  type McpUiHostContext,
  PostMessageTransport,
} from '@modelcontextprotocol/ext-apps/app-bridge'
import { useQuery } from '@tanstack/react-query'
import { useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { toast } from 'sonner'
import { MCP_APP_SANDBOX_PATH, type McpAppView } from '../../shared/mcp-apps.ts'
import { type ToolCallOutput, ToolCallReplySchema } from '../../shared/tool-calls.ts'
import { apiFetch } from '../api/client.ts'
import { serverQueries } from '../api/mcp-servers.ts'
import { useErrorMessage } from '../hooks/use-error-message.ts'
import { type AppRequest, McpAppConfirmDialog } from './mcp-app-confirm-dialog.tsx'
import { useTheme } from './theme-provider.tsx'
import { cn } from './ui/cn.ts'

/** Heights an app may ask for: never a sliver, never longer than a screenful. */
const MIN_HEIGHT = 60
const MAX_HEIGHT = 800

export interface McpAppFrameProps {
  serverId: string
  /** The tool whose app this is. */
  toolId: string
  toolName: string
  input: Record<string, unknown>
  output: Pick<ToolCallOutput, 'content' | 'structuredContent' | 'isError'>
  /**
   * Where `ui/message` goes (the chat), false when it cannot take one now; without it (the
   * tester) the app cannot send messages.
   */
  onMessage?: ((text: string) => boolean) | undefined
}

/** What the app is told about its host: theme, language, an inline card of bounded height. */
function hostContextOf(theme: 'light' | 'dark', locale: string): McpUiHostContext {
  return {
    theme,
    locale,
    displayMode: 'inline',
    availableDisplayModes: ['inline'],
    platform: 'web',
    containerDimensions: { maxHeight: MAX_HEIGHT },
  }
}

/**
 * A tool's MCP App, rendered with its call's input and result. It runs in our sandbox page
 * (an opaque origin with a CSP built from the app's declared domains), talks to us only through
 * the SDK's AppBridge, and anything it asks that reaches beyond its card (a chat message, a
 * link, a tool that asks for approval) waits for the user's confirmation here.
 */
export function McpAppFrame(props: McpAppFrameProps) {
  const { t } = useTranslation()
  const errorMessage = useErrorMessage()
  const app = useQuery(serverQueries.app(props.serverId, props.toolId))
  if (app.isError) {
    // The result is still there, below: say why the app is not.
    return (
      <p className="text-xs text-muted-foreground" role="note">
        {t('apps.notShown', { reason: errorMessage(app.error) })}
      </p>
    )
  }
  if (!app.data) return null
  return <AppSandbox {...props} app={app.data} />
}

function AppSandbox({
  app,
  toolName,
  input,
  output,
  onMessage,
}: McpAppFrameProps & { app: McpAppView }) {
  const { t, i18n } = useTranslation()
  const errorMessage = useErrorMessage()
  const { resolved: theme } = useTheme()
  const frame = useRef<HTMLIFrameElement>(null)
  const bridgeRef = useRef<AppBridge | null>(null)
  const [height, setHeight] = useState(240)
  const [pending, setPending] = useState<AppRequest | null>(null)
  const resolver = useRef<((ok: boolean) => void) | null>(null)
  // The latest values for the bridge's handlers, which are set up once per app.
  const latest = useRef({ input, output, onMessage, theme, locale: i18n.language })
  latest.current = { input, output, onMessage, theme, locale: i18n.language }

  // One question at a time: a second request while one is open is refused.
  const ask = (what: AppRequest) =>
    new Promise<boolean>((resolve) => {
      if (resolver.current) return resolve(false)
      resolver.current = resolve
      setPending(what)
    })

  // biome-ignore lint/correctness/useExhaustiveDependencies: one bridge per app; handlers read `latest`
  useEffect(() => {
    const iframe = frame.current
    if (!iframe?.contentWindow) return
    const bridge = new AppBridge(
      null,
      { name: 'Switchboard', version: '1' },
      {
        openLinks: {},
        serverTools: {},
        logging: {},
        ...(latest.current.onMessage ? { message: { text: {} } } : {}),
        sandbox: { csp: app.csp, permissions: app.permissions },
      },
      { hostContext: hostContextOf(latest.current.theme, latest.current.locale) },
    )
    bridgeRef.current = bridge
    bridge.onsandboxready = () => {
      void bridge.sendSandboxResourceReady({
        html: app.html,
        csp: app.csp,
        permissions: app.permissions,
      })
    }
    bridge.oninitialized = () => {
      void bridge.sendToolInput({ arguments: latest.current.input })
      const result = latest.current.output
      void bridge.sendToolResult({
        content: result.content as never,
        ...(result.structuredContent ? { structuredContent: result.structuredContent } : {}),
        ...(result.isError ? { isError: true } : {}),
      })
    }
    bridge.onsizechange = ({ height: asked }) => {
      if (typeof asked === 'number') {
        setHeight(Math.min(MAX_HEIGHT, Math.max(MIN_HEIGHT, Math.ceil(asked))))
      }
    }
    bridge.oncalltool = async (params) => {
      const call = (approved: boolean) =>
        apiFetch('/api/chat/tool-call', {
          method: 'POST',
          body: {
            serverId: app.serverId,
            toolName: params.name,
            arguments: params.arguments ?? {},
            source: 'app',
            appToolId: app.toolId,
            approved,
          },
          schema: ToolCallReplySchema,
        })
      try {
        const reply = await call(false).catch(async (error) => {
          // A tool that asks first runs from an app only once the user says yes here.
          if ((error as { code?: string }).code !== 'approval_required') throw error
          if (!(await ask({ kind: 'call', tool: params.name }))) throw error
          return call(true)
        })
        if (reply.call.output) return reply.call.output as never
        return {
          content: [{ type: 'text', text: reply.call.error ?? reply.call.status }],
          isError: true,
        }
      } catch (error) {
        return { content: [{ type: 'text', text: errorMessage(error) }], isError: true }
      }
    }
    bridge.onmessage = async (params) => {
      const send = latest.current.onMessage
      const text = params.content
        .map((block) => (block.type === 'text' ? block.text : ''))
        .join('\n')
        .trim()
      if (!send || !text || !(await ask({ kind: 'message', text }))) return { isError: true }
      if (send(text)) return {}
      toast.error(t('apps.chatBusy'))
      return { isError: true }
    }
    bridge.onopenlink = async ({ url }) => {
      const safe = URL.canParse(url) && ['http:', 'https:'].includes(new URL(url).protocol)
      if (!safe || !(await ask({ kind: 'link', url }))) return { isError: true }
      window.open(url, '_blank', 'noopener,noreferrer')
      return {}
    }
    const transport = new PostMessageTransport(iframe.contentWindow, iframe.contentWindow)
    void bridge.connect(transport).then(() => {
      iframe.src = `${MCP_APP_SANDBOX_PATH}?csp=${encodeURIComponent(JSON.stringify(app.csp))}`
    })
    return () => {
      bridgeRef.current = null
      resolver.current?.(false)
      resolver.current = null
      void bridge.close()
    }
  }, [app])

  useEffect(() => {
    // The bridge sends the app only what changed (ui/notifications/host-context-changed).
    bridgeRef.current?.setHostContext(hostContextOf(theme, i18n.language))
  }, [theme, i18n.language])

  const answer = (ok: boolean) => {
    resolver.current?.(ok)
    resolver.current = null
    setPending(null)
  }

  return (
    <>
      <iframe
        ref={frame}
        title={t('apps.frameTitle', { tool: toolName })}
        // No allow-same-origin: the sandbox page (and the app inside it) gets an opaque origin.
        sandbox="allow-scripts"
        // Browser features the app asked for pass through both frames (camera, microphone…).
        allow={buildAllowAttribute(app.permissions) || undefined}
        data-mcp-app={app.resourceUri}
        className={cn('w-full rounded-md bg-background', app.prefersBorder !== false && 'border')}
        style={{ height }}
      />
      <McpAppConfirmDialog request={pending} toolName={toolName} onAnswer={answer} />
    </>
  )
}
