// Wire-level tests of the emulator's organization variables, through a raw HttpClient: the licence gate and its bare
// 404, system variables, create/update/delete (confirmed), and the history with values, timestamp and author.
import { describe, expect, it } from "@effect/vitest"
import { Effect, TestClock } from "effect"
import { Emulator } from "../../src/testing/index.js"
import { bareNotFound, contractClient, del, get, organizationNotFound, patch, post } from "./wire.js"

const me = { id: 1, name: "Awesome Maker", email: "noreply@make.com" }

const system = (id: number, name: string) => [
  { name: "$organizationId", typeId: 1, value: id, isSystem: true },
  { name: "$organizationName", typeId: 2, value: name, isSystem: true }
]

describe("Emulator: organization variables", () => {
  it.effect("list answers system variables, then the custom ones in creation order", () =>
    Effect.gen(function*() {
      expect(yield* get("/organizations/11/variables")).toEqual({
        status: 200,
        body: {
          organizationVariables: [
            ...system(11, "Acme"),
            { name: "dailyLimit", typeId: 1, value: 250, isSystem: false },
            { name: "apiBaseUrl", typeId: 2, value: "https://api.acme.example", isSystem: false },
            { name: "maintenanceMode", typeId: 3, value: false, isSystem: false },
            { name: "launchDate", typeId: 4, value: "2026-12-01T09:00:00.000Z", isSystem: false }
          ]
        }
      })
      // System variables follow the organization.
      yield* patch("/organizations/12", { name: "Beta Inc" })
      expect((yield* get("/organizations/12/variables")).body).toEqual({
        organizationVariables: [...system(12, "Beta Inc"), { name: "region", typeId: 2, value: "EU", isSystem: false }]
      })
      expect(yield* get("/organizations/999/variables")).toEqual({ status: 404, body: organizationNotFound })
    }).pipe(Effect.provide(Emulator.layerTest())))

  it.effect("without customVariables in the licence: list shows only system variables, everything else a bare 404", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.Emulator
      // Gamma's licence lacks customVariables; it still has a variable from an earlier plan (`legacyFlag`).
      expect(yield* get("/organizations/13/variables")).toEqual({
        status: 200,
        body: { organizationVariables: system(13, "Gamma") }
      })
      const gated = [
        yield* post("/organizations/13/variables", { name: "fresh", typeId: 2, value: "x" }),
        yield* patch("/organizations/13/variables/legacyFlag", { typeId: 3, value: false }),
        yield* del("/organizations/13/variables/legacyFlag", { confirmed: "true" }),
        yield* get("/organizations/13/variables/legacyFlag/history")
      ]
      // Make does not tell a licence gate from a missing organization or variable: the same bare 404 every time.
      const missing = [
        yield* post("/organizations/999/variables", { name: "fresh", typeId: 2, value: "x" }),
        yield* patch("/organizations/11/variables/noSuchVariable", { typeId: 3, value: false }),
        yield* del("/organizations/11/variables/noSuchVariable", { confirmed: "true" }),
        yield* get("/organizations/11/variables/noSuchVariable/history"),
        yield* get("/organizations/999/variables/legacyFlag/history")
      ]
      for (const answer of [...gated, ...missing]) expect(answer).toEqual({ status: 404, body: bareNotFound })
      expect((yield* emulator.variables(13)).map((v) => [v.name, v.value])).toEqual([["legacyFlag", true]])

      // Upgrading the plan shows what was kept; downgrading Acme hides its variables.
      yield* emulator.setLicense(13, { customVariables: true })
      expect((yield* get("/organizations/13/variables")).body).toMatchObject({
        organizationVariables: [{}, {}, { name: "legacyFlag", typeId: 3, value: true, isSystem: false }]
      })
      yield* emulator.setLicense(11, { customVariables: false })
      expect((yield* get("/organizations/11/variables")).body).toEqual({ organizationVariables: system(11, "Acme") })
      expect(yield* get("/organizations/11/variables/dailyLimit/history")).toEqual({ status: 404, body: bareNotFound })
      expect(yield* get("/organizations/11")).toMatchObject({
        body: { organization: { license: { customVariables: false } } }
      })
      const unknown = yield* Effect.flip(emulator.setLicense(404, { customVariables: true }))
      expect(unknown).toMatchObject({ _tag: "NotFound", id: 404 })
    }).pipe(Effect.provide(Emulator.layerTest())))

  it.effect("create answers the variable; a taken or system name, or a value of the wrong type, is a 400", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.Emulator
      yield* TestClock.adjust("3 hours")
      expect(yield* post("/organizations/11/variables", { name: "threshold", typeId: 1, value: 0.75 })).toEqual({
        status: 200,
        body: { organizationVariable: { name: "threshold", typeId: 1, value: 0.75, isSystem: false } }
      })
      // Dates are stored in one ISO 8601 form, whatever form they came in.
      const date = yield* post("/organizations/11/variables", {
        name: "$goLive",
        typeId: 4,
        value: "2027-03-01T10:00:00+01:00"
      })
      expect(date.body).toEqual({
        organizationVariable: { name: "$goLive", typeId: 4, value: "2027-03-01T09:00:00.000Z", isSystem: false }
      })
      expect(yield* get("/organizations/11/variables/threshold/history")).toEqual({
        status: 200,
        body: { history: [{ id: 8, diffObject: { value: 0.75, timestamp: "1970-01-01T03:00:00.000Z", author: me } }] }
      })

      const taken = yield* post("/organizations/11/variables", { name: "dailyLimit", typeId: 1, value: 1 })
      expect(taken).toEqual({
        status: 400,
        body: {
          detail: "Validation failed for 1 parameter(s).",
          message: "Bad request",
          code: "IM015",
          suberrors: [{ message: "name: a variable named \"dailyLimit\" already exists" }]
        }
      })
      const systemName = yield* post("/organizations/11/variables", { name: "$organizationId", typeId: 1, value: 1 })
      expect(systemName.status).toBe(400)
      const mismatch = yield* post("/organizations/11/variables", { name: "flag", typeId: 3, value: "yes" })
      expect(mismatch).toMatchObject({ status: 400, body: { code: "IM015" } })
      const badName = yield* post("/organizations/11/variables", { name: "a/b", typeId: 2, value: "x" })
      expect(badName).toMatchObject({
        status: 400,
        body: { suberrors: [{ message: expect.stringContaining("name") }] }
      })
      expect((yield* emulator.variables(11)).map((v) => v.name)).toEqual([
        "dailyLimit",
        "apiBaseUrl",
        "maintenanceMode",
        "launchDate",
        "threshold",
        "$goLive"
      ])
    }).pipe(Effect.provide(Emulator.layerTest())))

  it.effect("update changes type and value and adds to the history: original/new value, timestamp, author", () =>
    Effect.gen(function*() {
      yield* TestClock.adjust("1 day")
      const updated = yield* patch("/organizations/11/variables/dailyLimit", { typeId: 2, value: "unlimited" })
      expect(updated).toEqual({
        status: 200,
        body: { organizationVariable: { name: "dailyLimit", typeId: 2, value: "unlimited", isSystem: false } }
      })
      // Newest first: this update, the seeded update (a day before the seed), the creation.
      expect(yield* get("/organizations/11/variables/dailyLimit/history")).toEqual({
        status: 200,
        body: {
          history: [
            {
              id: 8,
              diffObject: {
                originalValue: 250,
                newValue: "unlimited",
                timestamp: "1970-01-02T00:00:00.000Z",
                author: me
              }
            },
            {
              id: 2,
              diffObject: { originalValue: 100, newValue: 250, timestamp: "1970-01-01T00:00:00.000Z", author: me }
            },
            { id: 1, diffObject: { value: 100, timestamp: "1969-12-31T00:00:00.000Z", author: me } }
          ]
        }
      })
      // A variable never updated: one entry with its current value.
      expect(yield* get("/organizations/11/variables/launchDate/history")).toEqual({
        status: 200,
        body: {
          history: [{
            id: 5,
            diffObject: { value: "2026-12-01T09:00:00.000Z", timestamp: "1970-01-01T00:00:00.000Z", author: me }
          }]
        }
      })
      const mismatch = yield* patch("/organizations/11/variables/dailyLimit", { typeId: 1, value: "ten" })
      expect(mismatch).toMatchObject({ status: 400, body: { code: "IM015" } })
      const readOnly = yield* patch("/organizations/11/variables/$organizationName", { typeId: 2, value: "Other" })
      expect(readOnly).toMatchObject({
        status: 400,
        body: {
          suberrors: [{ message: "variableName: \"$organizationName\" is a system variable and cannot be changed" }]
        }
      })
    }).pipe(Effect.provide(Emulator.layerTest())))

  it.effect("update with only value, or only typeId, succeeds unchecked, as the docs say; with both, a mismatch is a 400", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.Emulator
      const stored = (name: string) => Effect.map(emulator.variables(11), (all) => all.find((v) => v.name === name))

      // Only the value: kept as sent, whatever the type says (maintenanceMode is typeId 3, boolean).
      const valueOnly = yield* patch("/organizations/11/variables/maintenanceMode", { value: "not a boolean" })
      expect(valueOnly).toEqual({
        status: 200,
        body: { organizationVariable: { name: "maintenanceMode", typeId: 3, value: "not a boolean", isSystem: false } }
      })
      // Only the type: the value stays (dailyLimit holds 250, now typed a date).
      const typeOnly = yield* patch("/organizations/11/variables/dailyLimit", { typeId: 4 })
      expect(typeOnly).toEqual({
        status: 200,
        body: { organizationVariable: { name: "dailyLimit", typeId: 4, value: 250, isSystem: false } }
      })
      // Both, mismatched: 400, and nothing changes.
      const before = yield* stored("apiBaseUrl")
      const both = yield* patch("/organizations/11/variables/apiBaseUrl", { typeId: 1, value: "ten" })
      expect(both).toMatchObject({ status: 400, body: { code: "IM015" } })
      expect(yield* stored("apiBaseUrl")).toEqual(before)
      // Neither: nothing to change.
      expect(yield* patch("/organizations/11/variables/apiBaseUrl", {})).toMatchObject({ status: 400 })
      expect(yield* stored("apiBaseUrl")).toEqual(before)
    }).pipe(Effect.provide(Emulator.layerTest())))

  it.effect("the author is the token's user", () =>
    Effect.gen(function*() {
      yield* post("/organizations/11/variables", { name: "owner", typeId: 2, value: "ops" })
      const history = yield* get("/organizations/11/variables/owner/history")
      expect(history.body).toMatchObject({
        history: [{ diffObject: { author: { id: 42, name: "Dana Scully", email: "dana@example.com" } } }]
      })
    }).pipe(Effect.provide(Emulator.layerTest({ userId: 42, userName: "Dana Scully", userEmail: "dana@example.com" }))))

  it.effect("delete without confirmed=true is 406 IM004 and changes nothing; with it, the variable and history go", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.Emulator
      const before = yield* emulator.snapshot
      const refused = yield* del("/organizations/11/variables/apiBaseUrl")
      expect(refused).toEqual({
        status: 406,
        body: {
          detail:
            "Deleting the variable \"apiBaseUrl\" breaks the scenarios that use it. Set confirmed=true to delete it anyway.",
          message: "Confirmation required",
          code: "IM004"
        }
      })
      expect((yield* del("/organizations/11/variables/apiBaseUrl", { confirmed: "false" })).status).toBe(406)
      expect(yield* emulator.snapshot).toBe(before)

      expect(yield* del("/organizations/11/variables/apiBaseUrl", { confirmed: "true" })).toEqual({
        status: 200,
        body: { organizationVariable: "apiBaseUrl" }
      })
      expect(yield* get("/organizations/11/variables/apiBaseUrl/history")).toEqual({ status: 404, body: bareNotFound })
      expect(yield* del("/organizations/11/variables/apiBaseUrl", { confirmed: "true" })).toEqual({
        status: 404,
        body: bareNotFound
      })
      expect((yield* emulator.variables(11)).map((v) => v.name)).not.toContain("apiBaseUrl")
      // The name is free again, with a fresh history.
      yield* post("/organizations/11/variables", { name: "apiBaseUrl", typeId: 2, value: "https://v2.acme.example" })
      expect((yield* get("/organizations/11/variables/apiBaseUrl/history")).body).toMatchObject({
        history: [{ id: 8, diffObject: { value: "https://v2.acme.example" } }]
      })
      const system = yield* del("/organizations/11/variables/$organizationId", { confirmed: "true" })
      expect(system.status).toBe(400)
    }).pipe(Effect.provide(Emulator.layerTest())))

  it.effect("the contract's derived client decodes every answer (typed errors included)", () =>
    Effect.gen(function*() {
      const client = yield* contractClient
      const list = yield* client.organizationVariables.list({ path: { organizationId: 11 } })
      expect(list.map((v) => v.name)).toContain("launchDate")
      const created = yield* client.organizationVariables.create({
        path: { organizationId: 11 },
        payload: { name: "typed", typeId: 4, value: "2026-01-01T00:00:00.000Z" }
      })
      expect(created.typeId).toBe(4)
      const updated = yield* client.organizationVariables.update({
        path: { organizationId: 11, variableName: "typed" },
        payload: { typeId: 3, value: true }
      })
      expect(updated.value).toBe(true)
      const history = yield* client.organizationVariables.history({
        path: { organizationId: 11, variableName: "typed" }
      })
      expect(history.map((entry) => entry.diffObject.newValue)).toEqual([true, undefined])
      const refused = yield* Effect.flip(
        client.organizationVariables.delete({ path: { organizationId: 11, variableName: "typed" }, urlParams: {} })
      )
      expect(refused).toMatchObject({ _tag: "NotConfirmed", code: "IM004" })
      const deleted = yield* client.organizationVariables.delete({
        path: { organizationId: 11, variableName: "typed" },
        urlParams: { confirmed: true }
      })
      expect(JSON.parse(deleted)).toEqual({ organizationVariable: "typed" }) // the emulator's canonical shape
      const gated = yield* Effect.flip(
        client.organizationVariables.history({ path: { organizationId: 13, variableName: "legacyFlag" } })
      )
      expect(gated).toMatchObject({ _tag: "NotFound", status: 404, detail: "Not found.", code: "SC404" })
    }).pipe(Effect.provide(Emulator.layerTest())))
})
