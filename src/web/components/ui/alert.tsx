import type { ComponentProps } from 'react'
import { cn } from './cn.ts'

const VARIANTS = {
  info: 'bg-muted text-foreground',
  warning: 'border-transparent bg-warning text-warning-foreground',
  destructive: 'border-destructive/40 text-destructive',
} as const

export type AlertProps = ComponentProps<'div'> & { variant?: keyof typeof VARIANTS }

/** A boxed message. Add `role="alert"` where it appears in response to an action. */
export function Alert({ className, variant = 'info', ...props }: AlertProps) {
  return (
    <div
      className={cn(
        'flex gap-3 rounded-lg border px-4 py-3 text-sm [&>svg]:mt-0.5 [&>svg]:size-4 [&>svg]:shrink-0',
        VARIANTS[variant],
        className,
      )}
      {...props}
    />
  )
}
