// `npm run openapi`: writes openapi.json, the OpenAPI 3.1 document derived from the contract (MakeHttpApi).
import { OpenApi } from "@effect/platform"
import { writeFileSync } from "node:fs"
import { MakeHttpApi } from "../src/api/MakeHttpApi.js"

const document = OpenApi.fromApi(MakeHttpApi)
writeFileSync("openapi.json", JSON.stringify(document, null, 2) + "\n")
const operations = Object.values(document.paths).flatMap((item) => Object.keys(item)).length
console.log(`openapi.json: ${operations} operations, OpenAPI ${document.openapi}`)
