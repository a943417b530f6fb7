import { lazy, Suspense } from 'react'
import type { McpAppFrameProps } from './mcp-app-frame.tsx'

// The host side of MCP Apps (the SDK's AppBridge and its schemas) is a chunk of its own: only a
// card that shows an app loads it.
const McpAppFrame = lazy(() =>
  import('./mcp-app-frame.tsx').then(({ McpAppFrame }) => ({ default: McpAppFrame })),
)

/** A tool's MCP App in its card (mcp-app-frame.tsx), loaded when first needed. */
export function McpApp(props: McpAppFrameProps) {
  return (
    <Suspense fallback={null}>
      <McpAppFrame {...props} />
    </Suspense>
  )
}
