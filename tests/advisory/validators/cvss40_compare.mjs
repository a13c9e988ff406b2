// Compares cvdbot's CVSS v4.0 scores with an independent implementation (the npm package
// ae-cvss-calculator, which implements the FIRST specification on its own).
// Usage: node cvss40_compare.mjs MODULES_DIR FILE...   (lines "VECTOR<TAB>SCORE")
// Exits 1 listing every vector whose score differs, so a wrong score is a failing test.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join, resolve } from 'node:path'

const [modules, ...files] = process.argv.slice(2)
if (!modules || files.length === 0) {
  console.error('usage: cvss40_compare.mjs MODULES_DIR FILE...')
  process.exit(2)
}
const require = createRequire(join(resolve(modules), 'index.js'))
const { Cvss4P0 } = require(join(resolve(modules), 'ae-cvss-calculator'))

let compared = 0
const mismatches = []
for (const file of files) {
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim() || line.startsWith('#')) continue
    const [vector, ours] = line.split('\t')
    const theirs = new Cvss4P0(vector).calculateOverallScore()
    compared++
    if (Math.abs(theirs - Number(ours)) > 1e-9) mismatches.push(`${vector}: cvdbot ${ours}, reference ${theirs}`)
  }
}
for (const m of mismatches.slice(0, 50)) console.log(`MISMATCH ${m}`)
console.log(`${compared} vectors compared, ${mismatches.length} mismatches`)
process.exit(mismatches.length || compared === 0 ? 1 : 0)
