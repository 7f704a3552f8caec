// The OpenAPI document each line's emulator publishes at /openapi.json: one document for every line, the primary
// line's, the committed snapshot fixtures/openapi.json (written by the root's `npm run openapi` from the Effect 4
// contract), so a change shows in review. The Effect 3 line serves a copy of it shipped in its own source.
// Imports vitest, node:fs and the suite's own helpers; no `effect`.
import { readFileSync } from "node:fs"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { at } from "./http.js"
import { lines, type RunningEmulator } from "./lines.js"

const snapshot: unknown = JSON.parse(readFileSync(new URL("../fixtures/openapi.json", import.meta.url), "utf8"))

/** The document without `servers`: the snapshot names Make's zones, a running emulator names itself. */
const withoutServers = (document: unknown): unknown =>
  typeof document === "object" && document !== null
    ? Object.fromEntries(Object.entries(document).filter(([key]) => key !== "servers"))
    : document

/** Each line's published document, fetched once. */
const published = new Map<string, unknown>()

describe("the snapshot", () => {
  it("is OpenAPI 3.1 with the 30 operations, and names Make's zones as servers", () => {
    expect(at(snapshot, "openapi")).toBe("3.1.0")
    const paths = at(snapshot, "paths")
    const operations = Object.values(typeof paths === "object" && paths !== null ? paths : {}).flatMap((item) =>
      Object.keys(typeof item === "object" && item !== null ? item : {})
    )
    expect(operations).toHaveLength(30)
    expect(at(snapshot, "servers", 0, "url")).toBe("https://{zone}/api/v2")
  })
})

describe.each(lines)("$name: GET /openapi.json", (line) => {
  let emulator: RunningEmulator
  beforeAll(async () => {
    emulator = await line.start()
  })
  afterAll(() => emulator.stop())

  it("is served without a token, as JSON", async () => {
    const response = await fetch(`${emulator.origin}/openapi.json`)
    expect(response.status).toBe(200)
    expect(response.headers.get("content-type")).toMatch(/^application\/json/)
    published.set(line.name, await response.json())
  })

  it("equals the committed snapshot, servers aside", () => {
    expect(withoutServers(published.get(line.name))).toEqual(withoutServers(snapshot))
  })

  it("names the emulator's own API base as its server", () => {
    expect(at(published.get(line.name), "servers")).toEqual([
      { url: emulator.api, description: expect.any(String) }
    ])
  })
})

describe("every line", () => {
  it("publishes the same document (servers aside)", () => {
    expect([...published.keys()]).toEqual(lines.map((line) => line.name))
    for (const document of published.values()) {
      expect(withoutServers(document)).toEqual(withoutServers(published.get(lines[0]?.name ?? "")))
    }
  })
})
