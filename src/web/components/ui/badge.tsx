import type { ComponentProps } from 'react'
import { cn } from './cn.ts'

const VARIANTS = {
  default: 'border-transparent bg-primary text-primary-foreground',
  secondary: 'border-transparent bg-muted text-foreground',
  outline: 'text-foreground',
  success: 'border-transparent bg-success text-success-foreground',
  warning: 'border-transparent bg-warning text-warning-foreground',
  destructive: 'border-transparent bg-destructive/10 text-destructive',
} as const

export type BadgeProps = ComponentProps<'span'> & { variant?: keyof typeof VARIANTS }

export function Badge({ className, variant = 'default', ...props }: BadgeProps) {
  return (
    <span
      className={cn(
        'inline-flex shrink-0 items-center gap-1 rounded-md border px-2 py-0.5 text-xs font-medium whitespace-nowrap [&_svg]:size-3',
        VARIANTS[variant],
        className,
      )}
      {...props}
    />
  )
}
