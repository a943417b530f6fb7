import { createCodePlugin } from '@streamdown/code'

/**
 * Shiki with its JavaScript regex engine (no WebAssembly, which the Content-Security-Policy
 * would refuse without 'wasm-unsafe-eval'); each language's grammar is its own chunk, fetched
 * from our origin the first time a block of that language shows.
 */
export const code = createCodePlugin({ themes: ['github-light', 'github-dark'] })
