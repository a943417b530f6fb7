import 'katex/dist/katex.min.css'
import { createMathPlugin } from '@streamdown/math'

/**
 * KaTeX, with its stylesheet and fonts bundled (served from our origin, as the
 * Content-Security-Policy requires). `$…$` is inline math as well as `$$…$$`: models write both.
 */
export const math = createMathPlugin({ singleDollarTextMath: true })
