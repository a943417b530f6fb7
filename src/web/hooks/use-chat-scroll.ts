import { useStickToBottom } from 'use-stick-to-bottom'

const REDUCED_MOTION = '(prefers-reduced-motion: reduce)'

/**
 * Keeps a chat thread at its newest message while an answer streams in, and lets go as soon as
 * the reader scrolls up (use-stick-to-bottom: a ResizeObserver on the content, a spring that
 * follows its growth, and a way to tell the reader's scrolling from its own). `scrollRef` goes on
 * the element that scrolls, `contentRef` on the one that grows (the list of messages).
 */
export function useChatScroll() {
  const smooth = !window.matchMedia(REDUCED_MOTION).matches
  const { scrollRef, contentRef, isAtBottom, scrollToBottom } = useStickToBottom({
    initial: 'instant',
    resize: smooth ? 'smooth' : 'instant',
  })
  return {
    scrollRef,
    contentRef,
    /** The newest message is in view (false once the reader scrolled up). */
    isAtBottom,
    /** Back to the newest message, and stay there as it grows. */
    scrollToBottom: () => void scrollToBottom(smooth ? 'smooth' : 'instant'),
  }
}
