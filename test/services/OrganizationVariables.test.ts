// OrganizationVariables over the emulator, the Effect 3 suite case by case: typed values both ways, the three
// meanings of Make's bare 404 (organization, licence, variable), confirmations, history, and the exact requests sent.
import { describe, expect, it } from "@effect/vitest"
import { DateTime, Effect, Fiber } from "effect"
import { TestClock } from "effect/testing"
import { isMismatched } from "../../src/domain/OrganizationVariable.js"
import * as OrganizationVariables from "../../src/OrganizationVariables.js"
import { requests } from "../../src/testing/Emulator.js"
import { defaultSeed } from "../../src/testing/emulator/Seed.js"
import * as MakeTest from "../../src/testing/MakeTest.js"
import { lastRequest, variableNames, wire } from "../support/services.js"

/** The default seed, with `customVariables` granted to Gamma (13), whose licence lacks it. */
const gammaGranted = {
  ...defaultSeed,
  organizations: defaultSeed.organizations?.map((org) =>
    org.id === 13 && org.license !== undefined ? { ...org, license: { ...org.license, customVariables: true } } : org
  )
}

describe("OrganizationVariables", () => {
  it.effect("list: values decoded to the type their typeId says", () =>
    Effect.gen(function*() {
      const variables = yield* OrganizationVariables.OrganizationVariables
      const all = yield* variables.list(11)
      const byName = new Map(all.map((variable) => [variable.name, variable]))
      expect(byName.get("dailyLimit")).toMatchObject({ typeId: 1, value: 250 })
      expect(byName.get("apiBaseUrl")).toMatchObject({ typeId: 2, value: "https://api.acme.example" })
      expect(byName.get("maintenanceMode")).toMatchObject({ typeId: 3, value: false })
      const launch = byName.get("launchDate")
      expect(launch?.typeId).toBe(4)
      if (launch !== undefined && !isMismatched(launch) && launch.typeId === 4) {
        expect(DateTime.isDateTime(launch.value)).toBe(true)
        expect(DateTime.formatIso(launch.value)).toBe("2026-12-01T09:00:00.000Z")
      }
      expect(all.filter((variable) => variable.isSystem === true).map((variable) => variable.name)).toEqual([
        "$organizationId",
        "$organizationName"
      ])
      expect(yield* lastRequest).toMatchObject({ method: "GET", path: "/organizations/11/variables" })
    }).pipe(Effect.provide(MakeTest.layer())))

  it.effect("list: without customVariables in the licence, only Make's system variables", () =>
    Effect.gen(function*() {
      const variables = yield* OrganizationVariables.OrganizationVariables
      const all = yield* variables.list(13)
      expect(all.map((variable) => [variable.name, variable.isSystem])).toEqual([
        ["$organizationId", true],
        ["$organizationName", true]
      ])
    }).pipe(Effect.provide(MakeTest.layer())))

  it.effect("list: NotFound for an unknown organization", () =>
    Effect.gen(function*() {
      const variables = yield* OrganizationVariables.OrganizationVariables
      const error = yield* Effect.flip(variables.list(999))
      expect(error).toMatchObject({ _tag: "NotFound", resource: "organization", id: 999 })
    }).pipe(Effect.provide(MakeTest.layer())))

  it.effect("create: each type travels in its wire form and comes back typed", () =>
    Effect.gen(function*() {
      const variables = yield* OrganizationVariables.OrganizationVariables
      const region = yield* variables.create(11, { name: "region", typeId: 2, value: "eu" })
      expect(region).toMatchObject({ name: "region", typeId: 2, value: "eu" })
      expect(yield* lastRequest).toMatchObject({
        method: "POST",
        path: "/organizations/11/variables",
        body: { name: "region", typeId: 2, value: "eu" }
      })
      const when = DateTime.makeUnsafe("1998-03-06T12:31:00.000Z")
      const created = yield* variables.create(11, { name: "cutover", typeId: 4, value: when })
      expect((yield* lastRequest)?.body).toEqual({ name: "cutover", typeId: 4, value: "1998-03-06T12:31:00.000Z" })
      expect(created.typeId).toBe(4)
      if (!isMismatched(created) && created.typeId === 4) expect(DateTime.Equivalence(created.value, when)).toBe(true)
      const flag = yield* variables.create(11, { name: "$beta_1", typeId: 3, value: true })
      expect(flag).toMatchObject({ typeId: 3, value: true })
      expect(yield* variableNames(11)).toEqual(expect.arrayContaining(["region", "cutover", "$beta_1"]))
    }).pipe(Effect.provide(MakeTest.layer())))

  it.effect("create on an organization whose licence lacks customVariables: FeatureUnavailable, found via its licence", () =>
    Effect.gen(function*() {
      const variables = yield* OrganizationVariables.OrganizationVariables
      const error = yield* Effect.flip(variables.create(13, { name: "limit", typeId: 1, value: 1 }))
      expect(error).toMatchObject({ _tag: "FeatureUnavailable", organizationId: 13, feature: "customVariables" })
      expect(error.message).toContain("customVariables")
      const seen = yield* requests
      expect(seen.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
        "POST /organizations/13/variables 404",
        "GET /organizations/13 200"
      ])
      expect(seen[1]?.query).toEqual({ wait: "true", "cols[]": ["id", "name", "license"] })
      expect(yield* variableNames(13)).not.toContain("limit")
    }).pipe(Effect.provide(MakeTest.layer())))

  it.effect("create on a missing organization: NotFound for the organization, not FeatureUnavailable", () =>
    Effect.gen(function*() {
      const variables = yield* OrganizationVariables.OrganizationVariables
      const error = yield* Effect.flip(variables.create(999, { name: "limit", typeId: 1, value: 1 }))
      expect(error).toMatchObject({ _tag: "NotFound", resource: "organization", id: 999 })
    }).pipe(Effect.provide(MakeTest.layer())))

  it.effect("when the licence lookup itself fails, the call's own 404 is the answer, not the lookup's failure", () =>
    Effect.gen(function*() {
      const variables = yield* OrganizationVariables.OrganizationVariables
      const fiber = yield* Effect.forkChild(Effect.flip(variables.create(13, { name: "x", typeId: 3, value: true })))
      yield* TestClock.adjust("1 minute") // through the lookup's retries
      const error = yield* Fiber.join(fiber)
      expect(error).toMatchObject({ _tag: "NotFound", status: 404 })
      const lookups = (yield* requests).filter((r) => r.method === "GET" && r.path === "/organizations/13")
      expect(lookups.map((r) => r.fault)).toEqual(["reset", "reset", "reset", "reset"])
    }).pipe(
      Effect.provide(MakeTest.layer({
        faults: { seed: 7, reset: 1, match: (r) => r.method === "GET" && r.path === "/organizations/13" }
      }))
    ))

  // Effect 4's emulator has no `setLicense` (its service changes no data): the licence is changed between two
  // emulators instead, the default seed and the same seed with Gamma granted `customVariables`. What the case checks
  // holds: the licence is read on each call, so the same call fails, then works.
  it.effect("the licence can change: the same call works once customVariables is granted", () =>
    Effect.gen(function*() {
      const create = Effect.flatMap(
        OrganizationVariables.OrganizationVariables,
        (variables) => variables.create(13, { name: "x", typeId: 3, value: true })
      )
      expect((yield* Effect.flip(create.pipe(Effect.provide(MakeTest.layer()))))._tag).toBe("FeatureUnavailable")
      const granted = yield* create.pipe(Effect.provide(MakeTest.layer({ seed: gammaGranted })))
      expect(granted).toMatchObject({ name: "x" })
    }))

  it.effect("update: sends typeId with value, answers the typed variable, and records history", () =>
    Effect.gen(function*() {
      const variables = yield* OrganizationVariables.OrganizationVariables
      const updated = yield* variables.update(11, "dailyLimit", { typeId: 1, value: 500 })
      expect(updated).toMatchObject({ name: "dailyLimit", typeId: 1, value: 500 })
      expect(yield* lastRequest).toMatchObject({
        method: "PATCH",
        path: "/organizations/11/variables/dailyLimit",
        body: { typeId: 1, value: 500 }
      })
      const [latest] = yield* variables.history(11, "dailyLimit")
      expect(latest?.diffObject).toMatchObject({ originalValue: 250, newValue: 500, author: { id: 1 } })
      expect(latest?.diffObject.timestamp).toEqual(expect.any(String))
    }).pipe(Effect.provide(MakeTest.layer())))

  it.effect("update can change the type, with the value that matches it", () =>
    Effect.gen(function*() {
      const variables = yield* OrganizationVariables.OrganizationVariables
      const updated = yield* variables.update(11, "maintenanceMode", { typeId: 2, value: "scheduled" })
      expect(updated).toMatchObject({ typeId: 2, value: "scheduled" })
    }).pipe(Effect.provide(MakeTest.layer())))

  it.effect("update of a missing variable: NotFound naming the variable", () =>
    Effect.gen(function*() {
      const variables = yield* OrganizationVariables.OrganizationVariables
      const error = yield* Effect.flip(variables.update(11, "missing", { typeId: 1, value: 1 }))
      expect(error).toMatchObject({ _tag: "NotFound", resource: "variable", id: "missing", organizationId: 11 })
      expect(error.message).toContain("Variable missing of organization 11 was not found")
    }).pipe(Effect.provide(MakeTest.layer())))

  it.effect("update and history behind the licence: FeatureUnavailable", () =>
    Effect.gen(function*() {
      const variables = yield* OrganizationVariables.OrganizationVariables
      const update = yield* Effect.flip(variables.update(13, "legacyFlag", { typeId: 3, value: false }))
      expect(update).toMatchObject({ _tag: "FeatureUnavailable", organizationId: 13, feature: "customVariables" })
      const history = yield* Effect.flip(variables.history(13, "legacyFlag"))
      expect(history).toMatchObject({ _tag: "FeatureUnavailable", organizationId: 13, feature: "customVariables" })
      const deleted = yield* Effect.flip(variables.delete(13, "legacyFlag", { confirmed: true }))
      expect(deleted).toMatchObject({ _tag: "FeatureUnavailable", organizationId: 13, feature: "customVariables" })
    }).pipe(Effect.provide(MakeTest.layer())))

  it.effect("delete without confirmed: NotConfirmed, and the variable is still there", () =>
    Effect.gen(function*() {
      const variables = yield* OrganizationVariables.OrganizationVariables
      const error = yield* Effect.flip(variables.delete(11, "apiBaseUrl"))
      expect(error).toMatchObject({
        _tag: "NotConfirmed",
        status: 406,
        code: "IM004",
        resource: "variable",
        id: "apiBaseUrl"
      })
      expect(yield* variableNames(11)).toContain("apiBaseUrl")
      expect(yield* lastRequest).toMatchObject({ method: "DELETE", query: {}, status: 406 })
    }).pipe(Effect.provide(MakeTest.layer())))

  it.effect("delete with confirmed: true removes it", () =>
    Effect.gen(function*() {
      const variables = yield* OrganizationVariables.OrganizationVariables
      yield* variables.delete(11, "apiBaseUrl", { confirmed: true })
      expect(yield* lastRequest).toMatchObject({
        method: "DELETE",
        path: "/organizations/11/variables/apiBaseUrl",
        query: { confirmed: "true" },
        status: 200
      })
      expect(yield* variableNames(11)).not.toContain("apiBaseUrl")
      const again = yield* Effect.flip(variables.delete(11, "apiBaseUrl", { confirmed: true }))
      expect(again).toMatchObject({ _tag: "NotFound", id: "apiBaseUrl" })
    }).pipe(Effect.provide(MakeTest.layer())))

  it.effect("history: newest first, the creation last", () =>
    Effect.gen(function*() {
      const variables = yield* OrganizationVariables.OrganizationVariables
      const history = yield* variables.history(11, "dailyLimit")
      expect(history.map((entry) => entry.id)).toEqual([2, 1])
      expect(history[0]?.diffObject).toMatchObject({ originalValue: 100, newValue: 250 })
      expect(history[1]?.diffObject).toMatchObject({ value: 100 })
      expect(yield* lastRequest).toMatchObject({ path: "/organizations/11/variables/dailyLimit/history" })
      const missing = yield* Effect.flip(variables.history(11, "nope"))
      expect(missing).toMatchObject({ _tag: "NotFound", id: "nope" })
    }).pipe(Effect.provide(MakeTest.layer())))

  it.effect("bad names and values: InvalidInput, and nothing is sent (a name cannot change the path)", () =>
    Effect.gen(function*() {
      const variables = yield* OrganizationVariables.OrganizationVariables
      const failures = [
        yield* Effect.flip(variables.create(11, { name: "a/../b", typeId: 2, value: "x" })),
        yield* Effect.flip(variables.create(11, { name: "has space", typeId: 2, value: "x" })),
        yield* Effect.flip(variables.create(11, { name: "", typeId: 2, value: "x" })),
        yield* Effect.flip(variables.create(11, { name: "n", typeId: 1, value: Number.POSITIVE_INFINITY })),
        yield* Effect.flip(variables.update(11, "a/../b", { typeId: 1, value: 1 })),
        yield* Effect.flip(variables.delete(11, "..", { confirmed: true })),
        yield* Effect.flip(variables.history(0, "dailyLimit")),
        // @ts-expect-error -- the types refuse a string for typeId 1; a JavaScript caller gets InvalidInput
        yield* Effect.flip(variables.create(11, { name: "n", typeId: 1, value: "12" })),
        // @ts-expect-error -- the types refuse an ISO string for typeId 4 (a DateTime.Utc is expected)
        yield* Effect.flip(variables.update(11, "launchDate", { typeId: 4, value: "2026-01-01T00:00:00Z" })),
        // @ts-expect-error -- typeId 5 does not exist
        yield* Effect.flip(variables.create(11, { name: "n", typeId: 5, value: 1 }))
      ]
      expect(failures.map((error) => error._tag)).toEqual(Array(failures.length).fill("InvalidInput"))
      expect(yield* requests).toEqual([])
    }).pipe(Effect.provide(MakeTest.layer())))

  it.effect("a variable whose value does not match its typeId (Make allows it) decodes as mismatched in list and history", () =>
    Effect.gen(function*() {
      const variables = yield* OrganizationVariables.OrganizationVariables
      // Make skips the type check when only the value is sent; the client always sends both, so go to the wire.
      const request = yield* wire("PATCH", "/organizations/11/variables/maintenanceMode", { value: "not a boolean" })
      expect(request.status).toBe(200)

      const all = yield* variables.list(11)
      const odd = all.find((v) => v.name === "maintenanceMode")
      expect(odd).toEqual({
        name: "maintenanceMode",
        typeId: 3,
        value: "not a boolean",
        isSystem: false,
        mismatched: true
      })
      expect(odd !== undefined && isMismatched(odd)).toBe(true)
      // The others keep their typed values.
      expect(all.find((v) => v.name === "dailyLimit")).toEqual({
        name: "dailyLimit",
        typeId: 1,
        value: 250,
        isSystem: false
      })

      const history = yield* variables.history(11, "maintenanceMode")
      expect(history[0]?.diffObject).toMatchObject({ originalValue: false, newValue: "not a boolean" })
    }).pipe(Effect.provide(MakeTest.layer())))
})
