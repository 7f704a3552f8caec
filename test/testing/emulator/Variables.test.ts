// The Organization variables area's pure operations: the licence gate and its bare 404, system variables,
// create/patch/delete (IM004), and the history with values, timestamps and author.
import { describe, expect, it } from "@effect/vitest"
import { DateTime, Option, Schema } from "effect"
import { VariableEnvelope, VariableHistory, VariableList } from "../../../src/api/OrganizationVariablesApi.js"
import { NotFound } from "../../../src/MakeError.js"
import { settings, tokenUser } from "../../../src/testing/emulator/Options.js"
import { type Data, inOrganization } from "../../../src/testing/emulator/Store.js"
import {
  type Change,
  createVariable,
  deleteVariable,
  listVariables,
  patchVariable,
  variableHistory
} from "../../../src/testing/emulator/Variables.js"
import { isoOf } from "../../../src/testing/EmulatorCatalog.js"
import { failure, ok, renameOrganization, seeded, updateLicense } from "./support.js"

const me = { id: 1, name: "Awesome Maker", email: "noreply@make.com" }
const at = (millis: number): Change => ({ author: tokenUser(settings()), timestamp: isoOf(millis) })
const bare = new NotFound({ status: 404, detail: "Not found.", title: "Not found", code: "SC404" })

const system = (id: number, name: string) => [
  { name: "$organizationId", typeId: 1, value: id, isSystem: true },
  { name: "$organizationName", typeId: 2, value: name, isSystem: true }
]

describe("organization variables", () => {
  it("list answers system variables, then custom ones in creation order; system ones follow the organization", () => {
    const body = ok(listVariables(seeded, 11))
    expect(body).toEqual({
      organizationVariables: [
        ...system(11, "Acme"),
        { name: "dailyLimit", typeId: 1, value: 250, isSystem: false },
        { name: "apiBaseUrl", typeId: 2, value: "https://api.acme.example", isSystem: false },
        { name: "maintenanceMode", typeId: 3, value: false, isSystem: false },
        { name: "launchDate", typeId: 4, value: "2026-12-01T09:00:00.000Z", isSystem: false }
      ]
    })
    expect(Schema.decodeUnknownResult(VariableList)(body)._tag).toBe("Success")
    const renamed = renameOrganization(12, "Beta Inc")(seeded)
    expect(ok(listVariables(renamed, 12))).toEqual({
      organizationVariables: [...system(12, "Beta Inc"), { name: "region", typeId: 2, value: "EU", isSystem: false }]
    })
    expect(failure(listVariables(seeded, 999))).toMatchObject({ resource: "organization", id: 999 })
  })

  it("without customVariables in the licence: only system variables listed, every other call the bare 404", () => {
    expect(ok(listVariables(seeded, 13))).toEqual({ organizationVariables: system(13, "Gamma") })
    const gated = [
      failure(createVariable(13, { name: "fresh", typeId: 2, value: "x" }, at(0))(seeded)),
      failure(patchVariable(13, "legacyFlag", { typeId: 3, value: false }, at(0))(seeded)),
      failure(deleteVariable(13, "legacyFlag", true)(seeded)),
      failure(variableHistory(seeded, 13, "legacyFlag"))
    ]
    // Make does not tell a licence gate from a missing organization or variable: the same bare 404 every time.
    const missing = [
      failure(createVariable(999, { name: "fresh", typeId: 2, value: "x" }, at(0))(seeded)),
      failure(patchVariable(11, "noSuchVariable", { typeId: 3, value: false }, at(0))(seeded)),
      failure(deleteVariable(11, "noSuchVariable", true)(seeded)),
      failure(variableHistory(seeded, 11, "noSuchVariable")),
      failure(variableHistory(seeded, 999, "legacyFlag"))
    ]
    for (const error of [...gated, ...missing]) expect(error).toEqual(bare)
    // Upgrading the plan shows what was kept; downgrading Acme hides its variables.
    const upgraded = updateLicense(13, true)(seeded)
    expect(ok(listVariables(upgraded, 13)).organizationVariables.at(2)).toEqual({
      name: "legacyFlag",
      typeId: 3,
      value: true,
      isSystem: false
    })
    const downgraded = updateLicense(11, false)(seeded)
    expect(ok(listVariables(downgraded, 11))).toEqual({ organizationVariables: system(11, "Acme") })
    expect(failure(variableHistory(downgraded, 11, "dailyLimit"))).toEqual(bare)
  })

  it("create answers the variable and starts its history; a taken or system name is a 400", () => {
    const threeHours = 3 * 3_600_000
    const [created, data] = ok(
      createVariable(11, { name: "threshold", typeId: 1, value: 0.75 }, at(threeHours))(
        seeded
      )
    )
    expect(created).toEqual({ organizationVariable: { name: "threshold", typeId: 1, value: 0.75, isSystem: false } })
    expect(Schema.decodeUnknownResult(VariableEnvelope)(created)._tag).toBe("Success")
    // Dates are stored in one ISO 8601 form, whatever form they came in (text or a decoded DateTime).
    const [date, withDate] = ok(
      createVariable(11, { name: "$goLive", typeId: 4, value: "2027-03-01T10:00:00+01:00" }, at(threeHours))(data)
    )
    expect(date.organizationVariable).toEqual({
      name: "$goLive",
      typeId: 4,
      value: "2027-03-01T09:00:00.000Z",
      isSystem: false
    })
    const decoded = DateTime.makeUnsafe("2027-03-01T09:00:00.000Z")
    const [viaDateTime] = ok(createVariable(11, { name: "d2", typeId: 4, value: decoded }, at(0))(data))
    expect(viaDateTime.organizationVariable.value).toBe("2027-03-01T09:00:00.000Z")

    const history = ok(variableHistory(withDate, 11, "threshold"))
    expect(history).toEqual({
      history: [{ id: 8, diffObject: { value: 0.75, timestamp: "1970-01-01T03:00:00.000Z", author: me } }]
    })
    expect(Schema.decodeUnknownResult(VariableHistory)(history)._tag).toBe("Success")
    const taken = failure(createVariable(11, { name: "dailyLimit", typeId: 1, value: 1 }, at(0))(seeded))
    expect(taken).toMatchObject({
      _tag: "InvalidRequest",
      status: 400,
      code: "IM015",
      detail: "Validation failed for 1 parameter(s).",
      suberrors: [{ message: "name: a variable named \"dailyLimit\" already exists" }]
    })
    expect(failure(createVariable(11, { name: "$organizationId", typeId: 1, value: 1 }, at(0))(seeded))._tag).toBe(
      "InvalidRequest"
    )
    expect(inOrganization(withDate.variables, 11).map((v) => v.name)).toEqual([
      "dailyLimit",
      "apiBaseUrl",
      "maintenanceMode",
      "launchDate",
      "threshold",
      "$goLive"
    ])
  })

  it("update changes type and value and adds to the history: original/new value, timestamp, author", () => {
    const [updated, data] = ok(
      patchVariable(11, "dailyLimit", { typeId: 2, value: "unlimited" }, at(86_400_000))(
        seeded
      )
    )
    expect(updated).toEqual({
      organizationVariable: { name: "dailyLimit", typeId: 2, value: "unlimited", isSystem: false }
    })
    expect(ok(variableHistory(data, 11, "dailyLimit"))).toEqual({
      history: [
        {
          id: 8,
          diffObject: { originalValue: 250, newValue: "unlimited", timestamp: "1970-01-02T00:00:00.000Z", author: me }
        },
        { id: 2, diffObject: { originalValue: 100, newValue: 250, timestamp: "1970-01-01T00:00:00.000Z", author: me } },
        { id: 1, diffObject: { value: 100, timestamp: "1969-12-31T00:00:00.000Z", author: me } }
      ]
    })
    expect(ok(variableHistory(seeded, 11, "launchDate"))).toEqual({
      history: [{
        id: 5,
        diffObject: { value: "2026-12-01T09:00:00.000Z", timestamp: "1970-01-01T00:00:00.000Z", author: me }
      }]
    })
    const readOnly = failure(patchVariable(11, "$organizationName", { typeId: 2, value: "Other" }, at(0))(seeded))
    expect(readOnly).toMatchObject({
      suberrors: [{ message: "variableName: \"$organizationName\" is a system variable and cannot be changed" }]
    })
  })

  it("update with only value, or only typeId, succeeds unchecked, as the docs say", () => {
    const [valueOnly] = ok(patchVariable(11, "maintenanceMode", { value: "not a boolean" }, at(0))(seeded))
    expect(valueOnly.organizationVariable).toEqual({
      name: "maintenanceMode",
      typeId: 3,
      value: "not a boolean",
      isSystem: false
    })
    const [typeOnly] = ok(patchVariable(11, "dailyLimit", { typeId: 4 }, at(0))(seeded))
    expect(typeOnly.organizationVariable).toEqual({ name: "dailyLimit", typeId: 4, value: 250, isSystem: false })
    // The client reads such a variable as mismatched, not as a failure.
    expect(Schema.decodeUnknownResult(VariableEnvelope)(typeOnly)._tag).toBe("Success")
  })

  it("the author is the token's user", () => {
    const dana = settings({ userId: 42, userName: "Dana Scully", userEmail: "dana@example.com" })
    const change: Change = { author: tokenUser(dana), timestamp: isoOf(0) }
    const [, data] = ok(createVariable(11, { name: "owner", typeId: 2, value: "ops" }, change)(seeded))
    expect(ok(variableHistory(data, 11, "owner")).history[0]).toMatchObject({
      diffObject: { author: { id: 42, name: "Dana Scully", email: "dana@example.com" } }
    })
  })

  it("delete without confirmed=true is 406 IM004 and changes nothing; with it, the variable and history go", () => {
    const refused = failure(deleteVariable(11, "apiBaseUrl", false)(seeded))
    expect(refused).toMatchObject({
      _tag: "NotConfirmed",
      status: 406,
      code: "IM004",
      title: "Confirmation required",
      resource: "variable",
      id: "apiBaseUrl",
      detail: "Deleting the variable \"apiBaseUrl\" breaks the scenarios that use it. " +
        "Set confirmed=true to delete it anyway."
    })
    const [body, data] = ok(deleteVariable(11, "apiBaseUrl", true)(seeded))
    expect(body).toEqual({ organizationVariable: "apiBaseUrl" })
    expect(failure(variableHistory(data, 11, "apiBaseUrl"))).toEqual(bare)
    expect(failure(deleteVariable(11, "apiBaseUrl", true)(data))).toEqual(bare)
    expect(failure(deleteVariable(11, "$organizationId", true)(data))._tag).toBe("InvalidRequest")
    // The name is free again, with a fresh history.
    const [, again] = ok(createVariable(11, { name: "apiBaseUrl", typeId: 2, value: "x" }, at(0))(data))
    expect(ok(variableHistory(again, 11, "apiBaseUrl")).history).toHaveLength(1)
  })

  it.prop(
    "history entry ids follow on; every change adds exactly one entry, newest first",
    { values: Schema.Array(Schema.Finite).check(Schema.isMaxLength(8)) },
    ({ values }) => {
      const data = values.reduce(
        (data: Data, value, i) => ok(patchVariable(11, "dailyLimit", { typeId: 1, value }, at(i))(data))[1],
        seeded
      )
      const history = ok(variableHistory(data, 11, "dailyLimit")).history
      expect(history.map((entry) => entry.id)).toEqual(
        [...values.map((_, i) => 8 + i).reverse(), 2, 1]
      )
      expect(Option.fromNullishOr(data.counters.historyEntry)).toEqual(Option.some(8 + values.length))
    }
  )
})
