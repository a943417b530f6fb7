import type { Page } from 'playwright-core'

/** A piece of text whose contrast with what is behind it is below WCAG AA. */
export interface LowContrast {
  text: string
  ratio: number
  color: string
  background: string
}

/**
 * Every visible text in `scope` whose contrast ratio with its background is under WCAG 2 AA
 * (4.5:1, or 3:1 for large text), from the computed styles. Colours come as the browser has them
 * (oklch, with alpha); a 1×1 canvas turns them into sRGB and composites the translucent layers
 * (the header's `bg-background/95`, a `bg-muted/50` row) the way they are painted. Text in a
 * disabled control or under an `opacity` below 1 is left out: WCAG exempts inactive parts.
 * Measured with transitions and animations stopped at their end.
 */
export function findLowContrast(page: Page, scope = 'body'): Promise<LowContrast[]> {
  return page.evaluate((selector) => {
    // Colours as they settle: a theme switch or an opening dialog fades them in, and one
    // measured midway is neither theme's.
    const settled = document.createElement('style')
    settled.textContent =
      '*, ::before, ::after { transition: none !important; animation: none !important }'
    document.head.append(settled)
    try {
      const canvas = document.createElement('canvas')
      canvas.width = 1
      canvas.height = 1
      const context = canvas.getContext('2d', { willReadFrequently: true })
      if (!context) throw new Error('no 2d canvas')
      const pixel = (layers: string[]): [number, number, number, number] => {
        context.clearRect(0, 0, 1, 1)
        for (const layer of layers) {
          context.fillStyle = layer
          context.fillRect(0, 0, 1, 1)
        }
        const [r = 0, g = 0, b = 0, a = 0] = context.getImageData(0, 0, 1, 1).data
        return [r, g, b, a]
      }
      const transparent = (color: string) => pixel([color])[3] === 0
      const opaque = (color: string) => pixel([color])[3] === 255
      const luminance = ([r, g, b]: number[]) => {
        const [R = 0, G = 0, B = 0] = [r, g, b].map((v = 0) => {
          const c = v / 255
          return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
        })
        return 0.2126 * R + 0.7152 * G + 0.0722 * B
      }
      /** The backgrounds behind an element, outermost first, down to the first opaque one. */
      const backgroundsOf = (element: Element): string[] => {
        const layers: string[] = []
        for (let at: Element | null = element; at; at = at.parentElement) {
          const color = getComputedStyle(at).backgroundColor
          if (transparent(color)) continue
          layers.unshift(color)
          if (opaque(color)) return layers
        }
        // Nothing opaque: the canvas of the page, which the root's background paints.
        return [getComputedStyle(document.documentElement).backgroundColor || 'white', ...layers]
      }
      const inactive = (element: Element) => {
        if (element.closest('[disabled], [aria-disabled="true"], [inert]')) return true
        for (let at: Element | null = element; at; at = at.parentElement) {
          if (Number(getComputedStyle(at).opacity) < 1) return true
        }
        return false
      }

      const found: LowContrast[] = []
      const root = document.querySelector(selector)
      if (!root) return found
      for (const element of [root, ...root.querySelectorAll('*')]) {
        const ownText = [...element.childNodes]
          .filter((node) => node.nodeType === Node.TEXT_NODE)
          .map((node) => node.textContent ?? '')
          .join('')
          .trim()
        if (!ownText) continue
        const box = element.getBoundingClientRect()
        // Screen-reader-only text is clipped to a pixel.
        if (box.width <= 1 || box.height <= 1) continue
        if (!element.checkVisibility({ visibilityProperty: true, opacityProperty: true })) continue
        if (inactive(element)) continue
        const style = getComputedStyle(element)
        const ink = element instanceof SVGElement ? style.fill : style.color
        const backgrounds = backgroundsOf(element)
        const back = pixel(backgrounds)
        const front = pixel([...backgrounds, ink])
        const [lighter, darker] = [luminance(front), luminance(back)].sort((a, b) => b - a)
        const ratio = ((lighter ?? 0) + 0.05) / ((darker ?? 0) + 0.05)
        const size = Number.parseFloat(style.fontSize)
        const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700)
        if (ratio < (large ? 3 : 4.5)) {
          found.push({
            text: ownText.slice(0, 60),
            ratio: Math.round(ratio * 100) / 100,
            color: ink,
            background: backgrounds.join(' over '),
          })
        }
      }
      return found
    } finally {
      settled.remove()
    }
  }, scope)
}

/** The relative luminance (0 black … 1 white) of a CSS colour as the page paints it. */
export function luminanceOf(page: Page, color: string): Promise<number> {
  return page.evaluate((css) => {
    const canvas = document.createElement('canvas')
    canvas.width = 1
    canvas.height = 1
    const context = canvas.getContext('2d')
    if (!context) throw new Error('no 2d canvas')
    context.fillStyle = css
    context.fillRect(0, 0, 1, 1)
    const [r = 0, g = 0, b = 0] = context.getImageData(0, 0, 1, 1).data
    const [R = 0, G = 0, B = 0] = [r, g, b].map((v) => {
      const c = v / 255
      return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
    })
    return 0.2126 * R + 0.7152 * G + 0.0722 * B
  }, color)
}
