import { useEffect, useRef } from 'react'
import { cn } from './ui/cn.ts'

export interface ProgressBarProps {
  /** Names the bar for assistive tech ("Progress of echo"). */
  label: string
  /** Done so far; with `total` the bar fills to `value / total`, without it it only moves. */
  value?: number | null
  total?: number | null
  /** The words a screen reader hears instead of a bare percentage ("Step 2 of 5"). */
  valueText?: string
  className?: string
}

/**
 * A progress bar (role "progressbar"). Determinate when the total is known; otherwise a sliding
 * stripe with no value, which is how ARIA marks progress of unknown size.
 */
export function ProgressBar({ label, value, total, valueText, className }: ProgressBarProps) {
  const determinate =
    typeof value === 'number' && typeof total === 'number' && total > 0 && value >= 0
  const percent = determinate ? Math.min(100, (value / total) * 100) : 0
  return (
    <div
      role="progressbar"
      aria-label={label}
      aria-valuemin={determinate ? 0 : undefined}
      aria-valuemax={determinate ? total : undefined}
      aria-valuenow={determinate ? Math.min(value, total) : undefined}
      aria-valuetext={valueText}
      data-state={determinate ? 'determinate' : 'indeterminate'}
      className={cn('relative h-2 w-full overflow-hidden rounded-full bg-muted', className)}
    >
      {determinate ? (
        <div
          className="h-full rounded-full bg-primary transition-[width] duration-300 ease-out"
          style={{ width: `${percent}%` }}
        />
      ) : (
        <SlidingStripe />
      )}
    </div>
  )
}

/** Slides across the track, or pulses in place for people who asked for reduced motion. */
function SlidingStripe() {
  const ref = useRef<HTMLDivElement>(null)
  useEffect(() => {
    const element = ref.current
    if (!element || typeof element.animate !== 'function') return
    const still = window.matchMedia('(prefers-reduced-motion: reduce)').matches
    const animation = still
      ? element.animate([{ opacity: 0.4 }, { opacity: 0.9 }], {
          duration: 1200,
          iterations: Number.POSITIVE_INFINITY,
          direction: 'alternate',
        })
      : element.animate([{ transform: 'translateX(-100%)' }, { transform: 'translateX(300%)' }], {
          duration: 1400,
          iterations: Number.POSITIVE_INFINITY,
          easing: 'ease-in-out',
        })
    return () => animation.cancel()
  }, [])
  return <div ref={ref} className="absolute inset-y-0 left-0 w-1/3 rounded-full bg-primary" />
}
