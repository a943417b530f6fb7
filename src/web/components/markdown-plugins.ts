import { useEffect, useSyncExternalStore } from 'react'
import type { PluginConfig } from 'streamdown'
import { type MarkdownFeature, markdownFeatures } from './markdown-text.ts'

/**
 * The heavy parts of Markdown rendering (Shiki for code, KaTeX for math, Mermaid for diagrams),
 * loaded the first time a text needs them: most answers need none, and together they weigh
 * megabytes that no first page should download. Until a part arrives the text shows without it
 * (code unhighlighted, math as typed), then re-renders.
 */
const LOADERS: Record<MarkdownFeature, () => Promise<PluginConfig>> = {
  code: () => import('./markdown-code.ts').then(({ code }) => ({ code })),
  math: () => import('./markdown-math.ts').then(({ math }) => ({ math })),
  mermaid: () => import('./markdown-mermaid.ts').then(({ mermaid }) => ({ mermaid })),
}

let loaded: PluginConfig = {}
const requested = new Set<MarkdownFeature>()
const listeners = new Set<() => void>()

function request(feature: MarkdownFeature): void {
  if (requested.has(feature)) return
  requested.add(feature)
  LOADERS[feature]().then(
    (plugin) => {
      loaded = { ...loaded, ...plugin }
      for (const listener of listeners) listener()
    },
    // A chunk that cannot load (offline, a deploy replaced it) leaves the text readable as it
    // is; the next page load tries again.
    () => {},
  )
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener)
  return () => listeners.delete(listener)
}

const current = () => loaded

/** The plugins loaded so far, after asking for the ones `text` needs. */
export function useMarkdownPlugins(text: string): PluginConfig {
  const needed = markdownFeatures(text).join(' ')
  useEffect(() => {
    for (const feature of needed.split(' ')) {
      if (feature) request(feature as MarkdownFeature)
    }
  }, [needed])
  return useSyncExternalStore(subscribe, current)
}
