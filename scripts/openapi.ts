// `npm run openapi`: writes the OpenAPI 3.1 document of the contract (`OpenApi.fromApi(MakeHttpApi)`) to the committed
// snapshot fixtures/openapi.json and to the Effect 3 line's shipped copy. Imports `effect/http-api`, api/ and node:.
//
// One document for every line, the primary line's: Effect 4's generator writes it, the snapshot is what review sees
// change (test/api/OpenApi.test.ts fails until it is rewritten), and every line's emulator publishes it at
// `/openapi.json` with its own address as `servers` (conformance/openapi.test.ts). The Effect 3 line serves a copy
// from its own source, since a published package has no fixtures/ folder; effect3/test/api/OpenApi.test.ts checks
// that the copy equals the snapshot and covers exactly that line's contract.
import { OpenApi } from "effect/http-api"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { MakeHttpApi } from "../src/api/MakeHttpApi.js"

const root = join(import.meta.dirname, "..")

/** Where the document is written: the snapshot, then the copy the Effect 3 line's emulator ships and serves. */
const targets: ReadonlyArray<string> = ["fixtures/openapi.json", "effect3/src/testing/emulator/openapi.json"]

/** The document as written: two-space JSON and a final newline, so that the snapshot's diff reads line by line. */
const text = JSON.stringify(OpenApi.fromApi(MakeHttpApi), null, 2) + "\n"

for (const target of targets) writeFileSync(join(root, target), text)
const document: { readonly openapi: string; readonly paths: object } = JSON.parse(text)
const operations = Object.values(document.paths).flatMap((item: object) => Object.keys(item)).length
console.log(`${targets.join(", ")}: ${operations} operations, OpenAPI ${document.openapi}`)
