// The emulator's answers are typed by the contract: a body the client could not decode does not compile, Make's
// quirks (counters as strings, `license.apps` a bare string) do and decode; paging is total and echoes what it did.
import { describe, expect, it } from "@effect/vitest"
import { Result, Schema } from "effect"
import { TeamCreated } from "../../../src/api/AdminTeamsApi.js"
import { OrganizationEnvelope } from "../../../src/api/OrganizationsApi.js"
import { body, paginate, project } from "../../../src/testing/emulator/Wire.js"

describe("bodies typed by the contract", () => {
  it("a body the client could not decode fails the type check", () => {
    // @ts-expect-error: counters are numbers or numeric strings, never booleans
    body(OrganizationEnvelope, { organization: { id: 11, name: "Acme", operations: true } })
    // @ts-expect-error: an organization has an id
    body(OrganizationEnvelope, { organization: { name: "Acme" } })
    // @ts-expect-error: a team's organizationId is a number
    body(TeamCreated, { team: { id: 1, name: "Ops", organizationId: "11" } })
    // @ts-expect-error: a team has an id
    body(TeamCreated, { team: { name: "Ops", organizationId: 11 } })
  })

  it("Make's quirks type-check and decode: counters as strings, license.apps a bare string", () => {
    const organization = body(OrganizationEnvelope, {
      organization: { id: 12, name: "Beta Labs", operations: "0", license: { apps: "T2", apiLimit: 240 } }
    })
    const decoded = Schema.decodeUnknownSync(OrganizationEnvelope)(JSON.parse(JSON.stringify(organization)))
    expect(decoded.organization).toMatchObject({ operations: 0, license: { apps: ["T2"] } })
    const team = body(TeamCreated, {
      team: { id: 30, name: "Ops", organizationId: 11, operationsLimit: 0, transferLimit: "0" }
    })
    expect(Schema.decodeUnknownSync(TeamCreated)(team).team.transferLimit).toBe(0)
  })
})

describe("paging and projection", () => {
  it("project keeps the asked columns in the asked order, skipping unknown and absent ones", () => {
    const view = { id: 1, name: "Acme", zone: null, externalId: undefined, teams: [] }
    expect(Object.entries(project(view, ["teams", "name", "zone", "externalId", "nope"]))).toEqual([
      ["teams", []],
      ["name", "Acme"]
    ])
  })

  it.prop(
    "a page is the slice of the whole sorted list, ties broken by id; pg echoes what was applied",
    {
      rows: Schema.Array(Schema.Struct({ n: Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: 3 })) })),
      offset: Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: 12 })),
      limit: Schema.Int.check(Schema.isBetween({ minimum: 1, maximum: 12 })),
      sortDir: Schema.Literals(["asc", "desc"])
    },
    ({ limit, offset, rows, sortDir }) => {
      const items = rows.map((row, i) => ({ id: rows.length - i, n: row.n }))
      const whole = [...items].sort((a, b) => (sortDir === "asc" ? a.n - b.n : b.n - a.n) || a.id - b.id)
      const page = paginate(items, (item) => item, { sortBy: "n", sortDir, offset, limit })
      expect(page).toEqual(Result.succeed({
        items: whole.slice(offset, offset + limit),
        pg: { sortBy: "n", sortDir, limit, offset }
      }))
    },
    { arbitrary: { runs: 200 } }
  )

  it("an unknown sort column is Make's 400 naming the columns", () => {
    const refused = paginate([{ id: 1, name: "a" }], (item) => item, { sortBy: "colour" })
    expect(Result.isFailure(refused) ? refused.failure.suberrors.map((s) => s.message) : []).toEqual([
      "pg[sortBy]: expected one of id, name, got \"colour\""
    ])
  })
})
