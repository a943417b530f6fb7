// What PGlite's queries cost without V8's optimising tier for WebAssembly, which the server
// turns off to save memory (src/server/db/database.ts). Run it both ways and compare:
//
//   node bench/pglite-liftoff.mjs
//   node --liftoff-only bench/pglite-liftoff.mjs
//
// An in-memory database with 200,000 rows; three rounds of a grouped aggregate over all of
// them, 500 indexed selects and 300 one-row inserts.
import { PGlite } from '@electric-sql/pglite'

const pglite = await PGlite.create()
await pglite.exec(`
  create table t as select g as id, md5(g::text) as s, (g % 100) as k from generate_series(1, 200000) g;
  create index on t(k);
`)
for (let round = 0; round < 3; round += 1) {
  let started = performance.now()
  await pglite.query('select k, count(*), max(s) from t group by k order by 2 desc')
  const aggregate = performance.now() - started
  started = performance.now()
  for (let i = 0; i < 500; i += 1) {
    await pglite.query('select * from t where k = $1 limit 20', [i % 100])
  }
  const select = (performance.now() - started) / 500
  started = performance.now()
  for (let i = 0; i < 300; i += 1) {
    await pglite.query('insert into t (id, s, k) values ($1, $2, $3)', [
      1e6 + round * 1000 + i,
      'x',
      5,
    ])
  }
  const insert = (performance.now() - started) / 300
  console.log(
    `aggregate ${aggregate.toFixed(0)} ms, indexed select ${select.toFixed(3)} ms, insert ${insert.toFixed(3)} ms`,
  )
}
await pglite.close()
