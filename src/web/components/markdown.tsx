import './markdown.css'
import { ExternalLink, Image } from 'lucide-react'
import { type ComponentProps, useMemo, useSyncExternalStore } from 'react'
import { useTranslation } from 'react-i18next'
import {
  type Components,
  type ControlsConfig,
  defaultComponents,
  defaultRehypePlugins,
  type ExtraProps,
  Streamdown,
  type StreamdownProps,
  type StreamdownTranslations,
} from 'streamdown'
import { useMarkdownPlugins } from './markdown-plugins.ts'
import { safeHref } from './markdown-text.ts'
import { cn } from './ui/cn.ts'

export interface MarkdownProps {
  text: string
  /** The text is still arriving: unfinished blocks render as far as they go, controls wait. */
  streaming?: boolean
  /**
   * `inverted` for text on the primary colour (the user's own bubble): inline code and links
   * take the bubble's foreground instead of the page's, so they stay readable in either theme.
   */
  tone?: 'plain' | 'inverted'
  className?: string
}

// Bitmaps only: an SVG could still carry markup, and nothing else belongs in an <img>.
const DATA_IMAGE = /^data:image\/(?:png|jpeg|gif|webp);base64,[A-Za-z0-9+/=\s]+$/

// Copy where it helps; no downloads (the browser's own save does that) and no table fullscreen.
const CONTROLS: ControlsConfig = {
  code: { copy: true, download: false },
  table: { copy: true, download: false, fullscreen: false },
  mermaid: { copy: true, download: false, fullscreen: true, panZoom: false },
}

const NO_LINK_CHECK = { enabled: false }

// streamdown's own pipeline (raw HTML, then its sanitizer, then rehype-harden), with one change: a
// link or image harden refuses (javascript:, data:, file:) becomes its plain words, instead of
// the words and an English "[blocked]".
type RehypePlugins = NonNullable<StreamdownProps['rehypePlugins']>
const [harden, hardenOptions] = defaultRehypePlugins.harden as [unknown, Record<string, unknown>]
const REHYPE_PLUGINS = [
  defaultRehypePlugins.raw,
  defaultRehypePlugins.sanitize,
  [harden, { ...hardenOptions, linkBlockPolicy: 'text-only', imageBlockPolicy: 'text-only' }],
] as RehypePlugins

/**
 * Model (and tool) output as Markdown, rendered by streamdown: GFM (tables, task lists,
 * strikethrough), highlighted code with a copy button, KaTeX math and Mermaid diagrams, safe
 * while the text is still streaming. Raw HTML in the text goes through streamdown's sanitizer;
 * links open in a new tab without an opener, and only to the web or mail.
 */
export function Markdown({ text, streaming = false, tone = 'plain', className }: MarkdownProps) {
  const plugins = useMarkdownPlugins(text)
  const translations = useStreamdownTranslations()
  const dark = useDarkTheme()
  const mermaid = useMemo(() => ({ config: { theme: dark ? 'dark' : 'default' } }), [dark])
  return (
    <Streamdown
      className={cn('markdown min-w-0 break-words', className)}
      data-tone={tone}
      // streamdown re-renders on a change of its data- attributes, not of `mermaid`: this one
      // makes a theme switch redraw the diagrams.
      data-theme={dark ? 'dark' : 'light'}
      isAnimating={streaming}
      plugins={plugins}
      components={COMPONENTS}
      controls={CONTROLS}
      linkSafety={NO_LINK_CHECK}
      rehypePlugins={REHYPE_PLUGINS}
      lineNumbers={false}
      mermaid={mermaid}
      translations={translations}
    >
      {text}
    </Streamdown>
  )
}

type LinkProps = ComponentProps<'a'> & ExtraProps

/** A link that opens in a new tab, or its words alone when its target is not safe to open. */
function MarkdownLink({ href, children, node: _node, className: _className, ...rest }: LinkProps) {
  const { t } = useTranslation()
  const target = safeHref(href)
  if (!target) {
    return (
      <span className="markdown-unsafe-link" data-unsafe-link="">
        {children}
      </span>
    )
  }
  return (
    <a
      {...rest}
      href={target}
      target="_blank"
      rel="noopener noreferrer"
      className="markdown-link"
      data-streamdown="link"
    >
      {children}
      <span className="sr-only"> {t('chat.markdown.opensInNewTab')}</span>
    </a>
  )
}

type ImageProps = ComponentProps<'img'> & ExtraProps

/**
 * Images embedded in the text (data: bitmaps) show; images elsewhere become links. Loading them
 * would tell their server that, and what, the answer shows: a way for text a model was fed to
 * carry data off the page. The Content-Security-Policy would block them anyway.
 */
function MarkdownImage({ src, alt }: ImageProps) {
  const { t } = useTranslation()
  if (typeof src === 'string' && DATA_IMAGE.test(src)) {
    return <img src={src} alt={alt ?? ''} className="max-h-96 max-w-full rounded-md border" />
  }
  const target = safeHref(src)
  const label = alt?.trim() || t('chat.markdown.image')
  if (!target) return <span data-unsafe-link="">{label}</span>
  return (
    <a
      href={target}
      target="_blank"
      rel="noopener noreferrer"
      className="markdown-link inline-flex items-center gap-1"
      data-markdown-image=""
    >
      <Image className="size-3.5 shrink-0" aria-hidden="true" />
      {label}
      <ExternalLink className="size-3 shrink-0" aria-hidden="true" />
      <span className="sr-only"> {t('chat.markdown.opensInNewTab')}</span>
    </a>
  )
}

const LIST_CLASS = 'list-outside pl-6 [li_&]:pl-5'

function List({
  ordered,
  className,
  ...rest
}: { ordered: boolean } & ComponentProps<'ul'> & ExtraProps) {
  const Default = ordered ? defaultComponents.ol : defaultComponents.ul
  return <Default {...(rest as ComponentProps<'ol'>)} className={cn(LIST_CLASS, className)} />
}

// streamdown draws bold as a <span>; <strong> says it to assistive technology too.
function Strong({ node: _node, className, ...rest }: ComponentProps<'strong'> & ExtraProps) {
  return <strong {...rest} className={cn('font-semibold', className)} />
}

const COMPONENTS: Components = {
  a: MarkdownLink,
  img: MarkdownImage,
  strong: Strong,
  ul: (props) => <List ordered={false} {...props} />,
  ol: (props) => <List ordered {...(props as ComponentProps<'ul'>)} />,
}

const TRANSLATED = [
  'copyCode',
  'copied',
  'copyTable',
  'copyTableAsMarkdown',
  'copyTableAsCsv',
  'copyTableAsTsv',
  'tableFormatMarkdown',
  'tableFormatCsv',
  'tableFormatTsv',
  'viewFullscreen',
  'exitFullscreen',
  'close',
  'zoomIn',
  'zoomOut',
  'resetView',
  'mermaidAriaLabel',
  'errorMermaid',
  'imageNotAvailable',
] as const satisfies readonly (keyof StreamdownTranslations)[]

/** streamdown's own words (buttons, labels), in the user's language. */
function useStreamdownTranslations(): Partial<StreamdownTranslations> {
  const { t, i18n } = useTranslation()
  // biome-ignore lint/correctness/useExhaustiveDependencies: the words change with the language
  return useMemo(
    () => Object.fromEntries(TRANSLATED.map((key) => [key, t(`chat.markdown.controls.${key}`)])),
    [t, i18n.language],
  )
}

function subscribeToThemeClass(onChange: () => void): () => void {
  const observer = new MutationObserver(onChange)
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['class'] })
  return () => observer.disconnect()
}

const isDark = () => document.documentElement.classList.contains('dark')

/**
 * Whether the dark theme shows (the `dark` class on <html>). Mermaid draws with colours of its
 * own, so it is told; everything else follows the stylesheet by itself.
 */
function useDarkTheme(): boolean {
  return useSyncExternalStore(subscribeToThemeClass, isDark)
}
