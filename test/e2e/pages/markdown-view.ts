import type { Locator } from 'playwright-core'

/** Rendered Markdown (a chat answer, a tool result), by roles and streamdown's data attributes. */
export class MarkdownView {
  constructor(readonly root: Locator) {}

  heading(level: number, name: string): Locator {
    return this.root.getByRole('heading', { level, name, exact: true })
  }

  link(name: string | RegExp): Locator {
    return this.root.getByRole('link', { name })
  }

  cell(name: string): Locator {
    return this.root.getByRole('cell', { name, exact: true })
  }

  columnHeader(name: string): Locator {
    return this.root.getByRole('columnheader', { name, exact: true })
  }

  /** Link text whose target was not safe to open, shown as words. */
  unsafeLinks(): Locator {
    return this.root.locator('[data-unsafe-link]')
  }

  inlineCode(text: string): Locator {
    return this.root.locator('[data-streamdown="inline-code"]', { hasText: text })
  }

  codeBlock(): Locator {
    return this.root.locator('[data-streamdown="code-block"]')
  }

  /** Tokens Shiki coloured (each carries its colour as a custom property). */
  highlightedTokens(): Locator {
    return this.root.locator('[data-streamdown="code-block-body"] span[style*="--sdm-c"]')
  }

  /** The copy button of the (first) code block; a diagram has one of its own. */
  copyCodeButton(): Locator {
    return this.codeBlock().first().getByRole('button', { name: 'Copy code', exact: true })
  }

  math(): Locator {
    return this.root.locator('.katex')
  }

  displayMath(): Locator {
    return this.root.locator('.katex-display')
  }

  diagram(): Locator {
    return this.root.locator('[data-streamdown="mermaid"] svg')
  }

  /** The fill of the diagram's first node, as painted (Mermaid draws with colours of its own). */
  diagramNodeFill(): Promise<string> {
    return this.diagram()
      .locator('.node rect, .node polygon')
      .first()
      .evaluate((shape) => getComputedStyle(shape).fill)
  }
}
