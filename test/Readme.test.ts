// The README's error and endpoint tables hold to what the code says: every error of the union, no other; every
// endpoint of the contract (method and path), no other. A table written by hand cannot drift from them unnoticed.
import { describe, expect, it } from "@effect/vitest"
import { HttpApi } from "effect/http-api"
import { readFileSync } from "node:fs"
import { MakeHttpApi } from "../src/api/MakeHttpApi.js"
import * as MakeError from "../src/MakeError.js"

const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8")

/** The first cell of every row of the table under `heading` (header and rule rows left out). */
const firstCells = (heading: string, column = 0): ReadonlyArray<string> => {
  const section = readme.split(`\n## ${heading}\n`)[1]?.split("\n## ")[0] ?? ""
  return section.split("\n").filter((line) => line.startsWith("|")).slice(2).map((line) =>
    line.split("|").slice(1)[column]?.trim().replace(/`/g, "") ?? ""
  )
}

/** Every endpoint of the contract as `METHOD /path/{param}`, as Make's documentation writes it. */
const contractEndpoints = (): ReadonlyArray<string> => {
  const endpoints: Array<string> = []
  HttpApi.reflect(MakeHttpApi, {
    onGroup: () => {},
    onEndpoint: ({ endpoint }) => {
      endpoints.push(`${endpoint.method} ${endpoint.path.replace(/:(\w+)/g, "{$1}")}`)
    }
  })
  return endpoints
}

describe("README", () => {
  it("the error table lists every error of the union, and no other", () => {
    const tags = [...MakeError.Specific.members, ...MakeError.Common.members].map((error) => error.identifier)
    expect([...firstCells("Errors")].sort()).toEqual([...tags].sort())
  })

  it("the endpoint table lists every endpoint of the contract, and no other", () => {
    const listed = firstCells("Endpoints", 1)
    expect(listed.length).toBe(30)
    expect([...listed].sort()).toEqual([...contractEndpoints()].sort())
  })
})
