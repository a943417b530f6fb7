#!/usr/bin/env node
// Adds up vitest JSON reports and prints the one line CI reads: "N passed, N failed".
// A missing report counts as a failure: a run that crashed must not look green.
// Failed tests are listed right above that line, with the start of their error, because a
// reader of CI output often sees only its tail.
import { existsSync, readFileSync } from 'node:fs'
import { relative } from 'node:path'

let passed = 0
let failed = 0
let skipped = 0
const failures = []
const flaky = []
for (const file of process.argv.slice(2)) {
  if (!existsSync(file)) {
    console.error(`no test report at ${file}`)
    failed += 1
    continue
  }
  const report = JSON.parse(readFileSync(file, 'utf8'))
  passed += report.numPassedTests
  failed += report.numFailedTests
  skipped += report.numPendingTests + (report.numTodoTests ?? 0)
  for (const result of report.testResults) {
    const where = `[${file}] ${relative(process.cwd(), result.name)}`
    // a file that failed to load has no tests to count
    if (result.status === 'failed' && result.assertionResults.length === 0) {
      failed += 1
      failures.push({ where, title: '(file failed to load)', message: result.message })
    }
    for (const test of result.assertionResults) {
      const message = test.failureMessages?.join('\n')
      // with retries on, a test that passed with errors failed its first attempt
      if (test.status === 'passed' && message) flaky.push({ where, title: test.fullName, message })
      if (test.status === 'failed') failures.push({ where, title: test.fullName, message })
    }
  }
}
const listed = [
  ...flaky.map((test) => ({ ...test, label: 'FLAKY (passed on its retry)' })),
  ...failures.map((test) => ({ ...test, label: 'FAILED' })),
]
for (const { label, where, title, message } of listed) {
  console.log(`\n${label} ${where} > ${title}`)
  const lines = String(message ?? '')
    .split('\n')
    .slice(0, 12)
  for (const line of lines) console.log(`  ${line}`)
}
const extra = [skipped ? `${skipped} skipped` : '', flaky.length ? `${flaky.length} flaky` : '']
console.log([`${passed} passed`, `${failed} failed`, ...extra.filter(Boolean)].join(', '))
process.exit(failed > 0 ? 1 : 0)
