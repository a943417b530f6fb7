import type { ComponentProps } from 'react'
import { cn } from './cn.ts'

/** A grey placeholder block while content loads; decorative, so pair it with a status label. */
export function Skeleton({ className, ...props }: ComponentProps<'div'>) {
  return (
    <div
      aria-hidden="true"
      className={cn('animate-pulse rounded-md bg-muted', className)}
      {...props}
    />
  )
}
