import {
  AppBridge,
  type McpUiHostContext,
  PostMessageTransport,
} from '@modelcontextprotocol/ext-apps/app-bridge'
import { useQuery } from '@tanstack/react-query'
import { useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { MCP_APP_SANDBOX_PATH, type McpAppView } from '../../shared/mcp-apps.ts'
import { type ToolCallOutput, ToolCallReplySchema } from '../../shared/tool-calls.ts'
import { apiFetch } from '../api/client.ts'
import { serverQueries } from '../api/mcp-servers.ts'
import { useErrorMessage } from '../hooks/use-error-message.ts'
import { ConfirmDialog } from './confirm-dialog.tsx'
import { useTheme } from './theme-provider.tsx'
import { cn } from './ui/cn.ts'

/** Heights an app may ask for: never a sliver, never longer than a screenful. */
const MIN_HEIGHT = 60
const MAX_HEIGHT = 800

/** What the user is asked to confirm for the app. */
type Pending =
  | { kind: 'message'; text: string; resolve: (ok: boolean) => void }
  | { kind: 'link'; url: string; resolve: (ok: boolean) => void }
  | { kind: 'call'; tool: string; resolve: (ok: boolean) => void }

type Asked =
  | { kind: 'message'; text: string }
  | { kind: 'link'; url: string }
  | { kind: 'call'; tool: string }

export interface McpAppFrameProps {
  serverId: string
  /** The tool whose app this is. */
  toolId: string
  toolName: string
  input: Record<string, unknown>
  output: Pick<ToolCallOutput, 'content' | 'structuredContent' | 'isError'>
  /** Where `ui/message` goes (the chat's composer); without it the app cannot send messages. */
  onMessage?: ((text: string) => void) | undefined
}

/** The tool has an MCP App (accepted as it is now) and its server renders apps. */
export function useToolHasApp(
  serverId: string | null | undefined,
  toolId: string | null | undefined,
): boolean {
  const enabled = Boolean(serverId && toolId)
  const tools = useQuery({ ...serverQueries.tools(serverId ?? ''), enabled })
  const servers = useQuery({ ...serverQueries.list(), enabled })
  const tool = tools.data?.find((t) => t.id === toolId)
  const server = servers.data?.find((s) => s.id === serverId)
  return Boolean(tool?.app && !tool.changed && server?.renderApps)
}

/**
 * A tool's MCP App, rendered with its call's input and result. It runs in our sandbox page
 * (an opaque origin with a CSP built from the app's declared domains), talks to us only through
 * the SDK's AppBridge, and anything it asks that reaches beyond its card (a chat message, a
 * link, a tool that asks for approval) waits for the user's confirmation here.
 */
export function McpAppFrame(props: McpAppFrameProps) {
  const app = useQuery(serverQueries.app(props.serverId, props.toolId))
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
  const [pending, setPending] = useState<Pending | null>(null)
  // The latest values for the bridge's handlers, which are set up once per app.
  const latest = useRef({ input, output, onMessage, theme, locale: i18n.language })
  latest.current = { input, output, onMessage, theme, locale: i18n.language }

  const ask = (what: Asked) =>
    new Promise<boolean>((resolve) => setPending({ ...what, resolve } as Pending))

  // biome-ignore lint/correctness/useExhaustiveDependencies: one bridge per app; handlers read `latest`
  useEffect(() => {
    const iframe = frame.current
    if (!iframe?.contentWindow) return
    const hostContext = (): McpUiHostContext => ({
      theme: latest.current.theme,
      locale: latest.current.locale,
      displayMode: 'inline',
      availableDisplayModes: ['inline'],
      platform: 'web',
      containerDimensions: { maxHeight: MAX_HEIGHT, width: iframe.clientWidth },
    })
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
      { hostContext: hostContext() },
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
      send(text)
      return {}
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
      void bridge.close()
    }
  }, [app])

  useEffect(() => {
    const bridge = bridgeRef.current
    if (!bridge) return
    bridge.setHostContext({
      theme,
      locale: i18n.language,
      displayMode: 'inline',
      availableDisplayModes: ['inline'],
      platform: 'web',
    })
  }, [theme, i18n.language])

  const answer = (ok: boolean) => {
    pending?.resolve(ok)
    setPending(null)
  }

  return (
    <>
      <iframe
        ref={frame}
        title={t('apps.frameTitle', { tool: toolName })}
        // No allow-same-origin: the sandbox page (and the app inside it) gets an opaque origin.
        sandbox="allow-scripts"
        data-mcp-app={app.resourceUri}
        className={cn('w-full rounded-md bg-background', app.prefersBorder !== false && 'border')}
        style={{ height }}
      />
      <ConfirmDialog
        open={pending !== null}
        title={
          pending?.kind === 'message'
            ? t('apps.confirmMessageTitle')
            : pending?.kind === 'link'
              ? t('apps.confirmLinkTitle')
              : t('apps.confirmCallTitle')
        }
        body={
          pending?.kind === 'message'
            ? t('apps.confirmMessageBody', { tool: toolName, text: pending.text })
            : pending?.kind === 'link'
              ? t('apps.confirmLinkBody', { tool: toolName, url: pending.url })
              : t('apps.confirmCallBody', { tool: toolName, call: pending?.tool ?? '' })
        }
        confirmLabel={
          pending?.kind === 'message'
            ? t('apps.send')
            : pending?.kind === 'link'
              ? t('apps.open')
              : t('apps.run')
        }
        pending={false}
        error={null}
        onConfirm={() => answer(true)}
        onClose={() => answer(false)}
      />
    </>
  )
}
