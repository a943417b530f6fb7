import { CircleAlert } from 'lucide-react'
import { useErrorMessage } from '../hooks/use-error-message.ts'
import { Alert } from './ui/alert.tsx'

/** The error from a failed action, translated, announced as soon as it appears. */
export function ErrorAlert({ error, className }: { error: unknown; className?: string }) {
  const errorMessage = useErrorMessage()
  if (!error) return null
  return (
    <Alert variant="destructive" role="alert" className={className}>
      <CircleAlert aria-hidden="true" />
      <p>{errorMessage(error)}</p>
    </Alert>
  )
}
