// Validates exported advisory records with the ecosystem's own tools:
//   CSAF 2.0: BSI's @secvisogram/csaf-validator-lib, strict schema and every mandatory test;
//   CVE JSON 5.1: the official CVE Record Format schema with ajv (draft-07).
// Usage: node validate.mjs MODULES_DIR CVE_SCHEMA (--csaf FILE | --cve FILE)...
// Exits 1 naming each failing record and every error, so a bad record is a failing test.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

const [modules, schemaPath, ...args] = process.argv.slice(2)
if (!modules || !schemaPath || args.length === 0 || args.length % 2) {
  console.error('usage: validate.mjs MODULES_DIR CVE_SCHEMA (--csaf FILE | --cve FILE)...')
  process.exit(2)
}
const load = (name) => import(pathToFileURL(join(modules, name)).href)

const basic = await load('@secvisogram/csaf-validator-lib/basic.js')
const { default: validate } = await load('@secvisogram/csaf-validator-lib/validate.js')
const { default: Ajv } = await load('ajv/dist/ajv.js')
const { default: addFormats } = await load('ajv-formats/dist/index.js')

const ajv = new Ajv({ allErrors: true, strict: false })
addFormats(ajv)
const checkCve = ajv.compile(JSON.parse(readFileSync(schemaPath, 'utf8')))

let failed = 0
for (let i = 0; i < args.length; i += 2) {
  const [kind, file] = [args[i], args[i + 1]]
  const doc = JSON.parse(readFileSync(file, 'utf8'))
  let errors = []
  if (kind === '--csaf') {
    // basic = csaf_2_0_strict schema + all mandatory tests (6.1.x)
    const result = await validate(Object.values(basic), doc)
    for (const test of result.tests)
      for (const e of test.errors) errors.push(`${test.name} ${e.instancePath}: ${e.message}`)
    if (!result.isValid && errors.length === 0) errors.push('invalid (no detail)')
  } else if (kind === '--cve') {
    if (!checkCve(doc))
      errors = checkCve.errors.map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`)
  } else {
    console.error(`unknown option ${kind}`)
    process.exit(2)
  }
  if (errors.length) {
    failed++
    console.log(`FAIL ${kind.slice(2)} ${file}`)
    for (const e of errors) console.log(`  ${e}`)
  } else {
    console.log(`ok   ${kind.slice(2)} ${file}`)
  }
}
process.exit(failed ? 1 : 0)
