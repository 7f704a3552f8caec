// Paging (`pg[offset]`, `pg[limit]`, `pg[sortBy]`, `pg[sortDir]`, echoed in `pg`) and column selection (`cols[]`)
// on the wire. Imports vitest and the suite's own helpers; no `effect`.
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { at, call, expectValidationError } from "./http.js"
import { lines, type RunningEmulator } from "./lines.js"

/** A paged list endpoint: where it lives, its list key, and the full list in its default order. */
interface Paged {
  readonly name: string
  readonly path: string
  readonly query: ReadonlyArray<readonly [string, string]>
  readonly key: string
  readonly sortBy: ReadonlyArray<string>
}

const pagedLists: ReadonlyArray<Paged> = [
  { name: "1 GET /organizations", path: "/organizations", query: [], key: "organizations", sortBy: ["id", "name"] },
  {
    name: "27 GET /admin/teams",
    path: "/admin/teams",
    query: [["organizationId", "11"]],
    key: "teams",
    sortBy: ["id", "name"]
  },
  {
    name: "9 GET /organizations/{id}/payments",
    path: "/organizations/11/payments",
    query: [],
    key: "payments",
    sortBy: ["id"]
  }
]

/** `items` sorted by `field` in `dir` (numbers numerically, strings by code unit: the names here are plain ASCII). */
const sorted = (items: ReadonlyArray<unknown>, field: string, dir: "asc" | "desc"): ReadonlyArray<unknown> => {
  const key = (item: unknown) => at(item, field)
  const ascending = [...items].sort((a, b) => {
    const x = key(a)
    const y = key(b)
    return typeof x === "number" && typeof y === "number"
      ? x - y
      : String(x) < String(y)
      ? -1
      : String(x) > String(y)
      ? 1
      : 0
  })
  return dir === "asc" ? ascending : ascending.reverse()
}

const asArray = (value: unknown): ReadonlyArray<unknown> => (Array.isArray(value) ? value : [])

describe.each(lines)("$name: paging and columns", (line) => {
  let emulator: RunningEmulator
  beforeAll(async () => {
    emulator = await line.start()
  })
  afterAll(() => emulator.stop())

  describe.each(pagedLists)("$name", (list) => {
    // Exhaustive over a small space: every sort field and direction, limits 1–4, offsets 0–4 (past the end too).
    it("every page is the sorted whole, sliced at offset for limit; pg echoes the request", async () => {
      const whole = await call(emulator, "GET", list.path, { query: list.query })
      expect(whole.status).toBe(200)
      const all = asArray(at(whole.body, list.key))
      expect(all.length).toBeGreaterThanOrEqual(3)
      for (const sortBy of list.sortBy) {
        for (const sortDir of ["asc", "desc"] as const) {
          const expected = sorted(all, sortBy, sortDir)
          for (let limit = 1; limit <= 4; limit++) {
            for (let offset = 0; offset <= all.length + 1; offset++) {
              const answer = await call(emulator, "GET", list.path, {
                query: [
                  ...list.query,
                  ["pg[sortBy]", sortBy],
                  ["pg[sortDir]", sortDir],
                  ["pg[limit]", String(limit)],
                  ["pg[offset]", String(offset)]
                ]
              })
              expect(answer.status).toBe(200)
              expect(answer.body).toEqual({
                [list.key]: expected.slice(offset, offset + limit),
                pg: { sortBy, sortDir, limit, offset }
              })
            }
          }
        }
      }
    })

    it("walking the pages with pg[offset] += pg[limit] gives each item once, in order", async () => {
      const whole = asArray(at((await call(emulator, "GET", list.path, { query: list.query })).body, list.key))
      const walked: Array<unknown> = []
      for (let offset = 0; offset < whole.length + 2; offset += 2) {
        const page = await call(emulator, "GET", list.path, {
          query: [...list.query, ["pg[limit]", "2"], ["pg[offset]", String(offset)]]
        })
        walked.push(...asArray(at(page.body, list.key)))
      }
      expect(walked).toEqual(whole)
    })
  })

  it("default orders: organizations and teams by name ascending, payments by id descending", async () => {
    const pg = async (path: string, query: ReadonlyArray<readonly [string, string]> = []) =>
      at((await call(emulator, "GET", path, { query })).body, "pg")
    expect(await pg("/organizations")).toEqual({ sortBy: "name", sortDir: "asc", limit: 10000, offset: 0 })
    expect(await pg("/admin/teams", [["organizationId", "11"]])).toEqual({
      sortBy: "name",
      sortDir: "asc",
      limit: 10000,
      offset: 0
    })
    expect(await pg("/organizations/11/payments")).toEqual({ sortBy: "id", sortDir: "desc", limit: 10000, offset: 0 })
  })

  describe("invalid paging is a 400 naming the parameter", () => {
    const cases: ReadonlyArray<readonly [string, string]> = [
      ["pg[sortDir]", "sideways"],
      ["pg[limit]", "-1"],
      ["pg[limit]", "abc"],
      ["pg[offset]", "-1"],
      ["pg[sortBy]", "bogus"]
    ]
    it.each(cases)("%s=%s", async (parameter, value) => {
      const messages = expectValidationError(
        await call(emulator, "GET", "/organizations", { query: [[parameter, value]] })
      )
      for (const message of messages) expect(message.startsWith(`${parameter}:`)).toBe(true)
    })
  })

  describe("cols[]", () => {
    it("1 GET /organizations?cols[]=id&cols[]=zone&cols[]=license: those fields only", async () => {
      const answer = await call(emulator, "GET", "/organizations", {
        query: [["cols[]", "id"], ["cols[]", "zone"], ["cols[]", "license"]]
      })
      expect(answer.status).toBe(200)
      const organizations = asArray(at(answer.body, "organizations"))
      expect(organizations.map((o) => at(o, "id"))).toEqual([11, 12, 13])
      for (const organization of organizations) {
        // The emulator sends an organization's privateSpaces whatever the columns (Make's list fixture has them
        // beside the default columns); every other field is one asked for.
        const fields = Object.keys(organization ?? {}).filter((field) => field !== "privateSpaces")
        expect(fields.sort()).toEqual(["id", "license", "zone"])
      }
      expect(at(organizations[1], "zone")).toBe("eu1.make.com")
      expect(at(organizations[2], "license", "apiLimit")).toBe(60)
    })

    it("cols[] with paging: both apply", async () => {
      const answer = await call(emulator, "GET", "/organizations", {
        query: [
          ["cols[]", "id"],
          ["pg[sortBy]", "id"],
          ["pg[sortDir]", "desc"],
          ["pg[limit]", "1"],
          ["pg[offset]", "1"]
        ]
      })
      expect(answer.body).toEqual({
        organizations: [{ id: 12 }],
        pg: { sortBy: "id", sortDir: "desc", limit: 1, offset: 1 }
      })
    })

    it("24 GET .../feature-controls?cols[]=id&cols[]=enabled: those fields only", async () => {
      const answer = await call(emulator, "GET", "/organizations/11/feature-controls", {
        query: [["cols[]", "id"], ["cols[]", "enabled"]]
      })
      expect([answer.status, answer.body]).toEqual([
        200,
        { featureControls: [{ id: 12, enabled: true }, { id: 7, enabled: true }, { id: 3, enabled: true }] }
      ])
    })

    it("an unknown column is a 400 naming cols[]", async () => {
      const messages = expectValidationError(
        await call(emulator, "GET", "/organizations", { query: [["cols[]", "bogus"]] })
      )
      for (const message of messages) expect(message.startsWith("cols[]")).toBe(true)
    })
  })
})
