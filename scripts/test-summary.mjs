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
      if (test.status !== 'failed') continue
      failures.push({ where, title: test.fullName, message: test.failureMessages?.join('\n') })
    }
  }
}
for (const { where, title, message } of failures) {
  console.log(`\nFAILED ${where} > ${title}`)
  const lines = String(message ?? '')
    .split('\n')
    .slice(0, 12)
  for (const line of lines) console.log(`  ${line}`)
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`)
process.exit(failed > 0 ? 1 : 0)
