// The emulator's store index: records by key and by organization, insertion order kept, replaced in place, removed
// one by one or by organization, and lookups that never depend on other organizations' records.
import { describe, expect, it } from "@effect/vitest"
import { Option } from "effect"
import {
  allOf,
  indexOf,
  inOrganization,
  lookup,
  put,
  remove,
  removeOrganizationFrom
} from "../../src/testing/emulator/Store.js"

interface Row {
  readonly organizationId: number
  readonly id: number
  readonly name: string
}

const row = (organizationId: number, id: number, name = `row ${id}`): Row => ({ organizationId, id, name })
const byId = (r: Row) => r.id

describe("Emulator store: Index", () => {
  it("keeps each organization's records in insertion order; a put of a known key replaces in place", () => {
    const index = put(put(indexOf(byId, [row(11, 1), row(12, 2), row(11, 3)]), row(11, 4)), row(11, 1, "renamed"))
    expect(inOrganization(index, 11).map((r) => [r.id, r.name])).toEqual([[1, "renamed"], [3, "row 3"], [4, "row 4"]])
    expect(inOrganization(index, 12).map(byId)).toEqual([2])
    expect(inOrganization(index, 99)).toEqual([])
    expect(lookup(index, 3)).toEqual(Option.some(row(11, 3)))
    expect(allOf(index)).toHaveLength(4)
  })

  it("removes one record, or every record of an organization, leaving the others", () => {
    const index = indexOf(byId, [row(11, 1), row(12, 2), row(11, 3)])
    expect(inOrganization(remove(index, 1), 11).map(byId)).toEqual([3])
    expect(remove(index, 42)).toBe(index)
    const without11 = removeOrganizationFrom(index, 11)
    expect(inOrganization(without11, 11)).toEqual([])
    expect(lookup(without11, 1)).toEqual(Option.none())
    expect(inOrganization(without11, 12).map(byId)).toEqual([2])
  })

  it("builds an index of 10,000 records in one organization without quadratic copies", () => {
    const rows = Array.from({ length: 10_000 }, (_, i) => row(12, i + 1))
    const index = indexOf(byId, [row(11, 0), ...rows])
    expect(inOrganization(index, 11).map(byId)).toEqual([0])
    expect(inOrganization(index, 12)).toHaveLength(10_000)
  })
})
