import type { ComponentProps } from 'react'
import { cn } from './cn.ts'

/** The message under an invalid input; give it an `id` and point the input's aria-describedby at it. */
export function FieldError({ className, children, ...props }: ComponentProps<'p'>) {
  if (!children) return null
  return (
    <p className={cn('text-sm text-destructive', className)} {...props}>
      {children}
    </p>
  )
}
