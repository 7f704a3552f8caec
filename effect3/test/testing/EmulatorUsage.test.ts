// Wire-level tests of the emulator's usage and feature controls, through a raw HttpClient: 30 days ending today in
// the user's or the organization's timezone (TestClock sets "today"), controls by descending id, filters, cols, PATCH.
import { describe, expect, it } from "@effect/vitest"
import { Effect, Schema, TestClock } from "effect"
import { Emulator, EmulatorCatalog } from "../../src/testing/index.js"
import { contractClient, get, organizationNotFound, patch, post } from "./wire.js"

/** One day as the wire carries it: the decoder also checks that `dataTransfer` is a string and the rest numbers. */
const Day = Schema.Struct({
  date: Schema.String,
  operations: Schema.Number,
  dataTransfer: Schema.String,
  centicredits: Schema.Number
})
type Day = typeof Day.Type

const decodeUsage = Schema.decodeUnknown(Schema.Struct({ usage: Schema.Array(Day) }))

const usage = (organizationId: number, query?: Record<string, string>) =>
  Effect.gen(function*() {
    const answer = yield* get(`/organizations/${organizationId}/usage`, query)
    expect(answer.status).toBe(200)
    const { usage: days } = yield* decodeUsage(answer.body)
    return days
  })

const expected = (organizationId: number, date: string): Day => {
  const day = EmulatorCatalog.usageOf(organizationId, date)
  return { date, operations: day.operations, dataTransfer: String(day.dataTransfer), centicredits: day.centicredits }
}

describe("Emulator: usage", () => {
  it.effect("30 days, oldest first, ending today; deterministic integers, dataTransfer as a numeric string", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(Date.UTC(2025, 2, 10, 12))
      const days = yield* usage(11)
      expect(days).toHaveLength(30)
      expect(days[0]?.date).toBe("2025-02-09")
      expect(days[29]?.date).toBe("2025-03-10")
      expect(days.map((day) => day.date)).toEqual(
        Array.from({ length: 30 }, (_, i) => new Date(Date.UTC(2025, 1, 9 + i)).toISOString().slice(0, 10))
      )
      expect(days).toEqual(days.map((day) => expected(11, day.date)))
      for (const day of days) {
        expect(Number.isInteger(day.operations) && Number.isInteger(day.centicredits)).toBe(true)
        expect(day.dataTransfer).toMatch(/^\d+$/)
        expect(day.centicredits).toBeGreaterThanOrEqual(day.operations * 100)
      }
      // Another organization, other numbers; the same one asked again, the same numbers.
      expect(yield* usage(12)).not.toEqual(days)
      expect(yield* usage(11)).toEqual(days)
      expect(yield* get("/organizations/999/usage")).toEqual({ status: 404, body: organizationNotFound })
    }).pipe(Effect.provide(Emulator.layerTest())))

  it.effect("near midnight UTC, organizationTimezone=true moves the days to the organization's timezone", () =>
    Effect.gen(function*() {
      // 23:30 UTC is already tomorrow in Prague (Acme's timezone, +01:00).
      yield* TestClock.setTime(Date.UTC(2025, 0, 15, 23, 30))
      const mine = yield* usage(11)
      const acme = yield* usage(11, { organizationTimezone: "true" })
      expect([mine[0]?.date, mine[29]?.date]).toEqual(["2024-12-17", "2025-01-15"])
      expect([acme[0]?.date, acme[29]?.date]).toEqual(["2024-12-18", "2025-01-16"])
      // A day is the same day whichever timezone named it.
      expect(acme.slice(0, 29)).toEqual(mine.slice(1))
      expect(yield* usage(11, { organizationTimezone: "false" })).toEqual(mine)

      // An hour later both agree again.
      yield* TestClock.adjust("1 hour")
      expect((yield* usage(11))[29]?.date).toBe("2025-01-16")

      // The organization's timezone is read at request time: New York is still on the 15th at 00:30 UTC.
      yield* patch("/organizations/11", { timezoneId: 23 })
      expect((yield* usage(11, { organizationTimezone: "true" }))[29]?.date).toBe("2025-01-15")
    }).pipe(Effect.provide(Emulator.layerTest())))

  it.effect("the user's timezone comes from the options", () =>
    Effect.gen(function*() {
      // 20:00 UTC: 01:30 the next day in Kolkata (the user), 21:00 the same day in Rome (Beta Labs).
      yield* TestClock.setTime(Date.UTC(2025, 5, 30, 20))
      expect((yield* usage(12))[29]?.date).toBe("2025-07-01")
      expect((yield* usage(12, { organizationTimezone: "true" }))[29]?.date).toBe("2025-06-30")
      const invalid = yield* get("/organizations/12/usage", { organizationTimezone: "yes" })
      expect(invalid).toMatchObject({ status: 400, body: { code: "IM015" } })
    }).pipe(Effect.provide(Emulator.layerTest({ userTimezoneOffsetMinutes: 330 }))))
})

describe("Emulator: feature controls", () => {
  it.effect("listed by descending id, every column", () =>
    Effect.gen(function*() {
      expect(yield* get("/organizations/11/feature-controls")).toEqual({
        status: 200,
        body: {
          featureControls: [
            {
              id: 12,
              name: "Scenario Sharing",
              enabled: true,
              description: "Sharing scenarios as public links and templates."
            },
            {
              id: 7,
              name: "Custom Functions",
              enabled: true,
              description: "Custom JavaScript functions in scenario mappings."
            },
            {
              id: 3,
              name: "Make AI Tools",
              enabled: true,
              description: "AI modules and the AI assistant in the scenario editor."
            }
          ]
        }
      })
      const gamma = yield* get("/organizations/13/feature-controls", { "cols[]": ["id", "enabled"] })
      expect(gamma.body).toEqual({
        featureControls: [{ id: 12, enabled: true }, { id: 7, enabled: false }, { id: 3, enabled: false }]
      })
      expect(yield* get("/organizations/999/feature-controls")).toEqual({ status: 404, body: organizationNotFound })
    }).pipe(Effect.provide(Emulator.layerTest())))

  it.effect("featureControlName filters by exact name; cols[] projects to exactly the columns asked", () =>
    Effect.gen(function*() {
      const byName = yield* get("/organizations/11/feature-controls", { featureControlName: "Make AI Tools" })
      expect(byName.body).toEqual({
        featureControls: [expect.objectContaining({ id: 3, name: "Make AI Tools" })]
      })
      const other = yield* get("/organizations/11/feature-controls", { featureControlName: "make ai tools" })
      expect(other.body).toEqual({ featureControls: [] })
      const projected = yield* get("/organizations/11/feature-controls", {
        featureControlName: "Custom Functions",
        "cols[]": ["enabled"]
      })
      expect(projected.body).toEqual({ featureControls: [{ enabled: true }] })
      const unknownColumn = yield* get("/organizations/11/feature-controls", { "cols[]": ["colour"] })
      expect(unknownColumn).toMatchObject({ status: 400, body: { code: "IM015" } })
    }).pipe(Effect.provide(Emulator.layerTest())))

  it.effect("PATCH switches one control of one organization; an unknown id is a 404", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.Emulator
      expect(yield* patch("/organizations/11/feature-controls", { id: 3, enabled: false })).toEqual({
        status: 200,
        body: {
          featureControl: {
            id: 3,
            name: "Make AI Tools",
            enabled: false,
            description: "AI modules and the AI assistant in the scenario editor."
          }
        }
      })
      const listed = yield* get("/organizations/11/feature-controls", { "cols[]": ["id", "enabled"] })
      expect(listed.body).toEqual({
        featureControls: [{ id: 12, enabled: true }, { id: 7, enabled: true }, { id: 3, enabled: false }]
      })
      expect((yield* emulator.featureControls(12)).find((control) => control.id === 3)?.enabled).toBe(true)
      expect(yield* patch("/organizations/11/feature-controls", { id: 99, enabled: true })).toEqual({
        status: 404,
        body: { detail: "Feature control not found.", message: "Not found", code: "SC404" }
      })
      const missing = yield* patch("/organizations/11/feature-controls", { id: 3 })
      expect(missing).toMatchObject({ status: 400, body: { suberrors: [{ message: "enabled: is missing" }] } })
      expect(yield* patch("/organizations/999/feature-controls", { id: 3, enabled: true })).toEqual({
        status: 404,
        body: organizationNotFound
      })
      // A new organization starts with the catalogue.
      yield* post("/organizations", { name: "New", regionId: 1, timezoneId: 113, countryId: 1 })
      expect((yield* get("/organizations/26/feature-controls", { "cols[]": ["id", "enabled"] })).body).toEqual({
        featureControls: [{ id: 12, enabled: true }, { id: 7, enabled: false }, { id: 3, enabled: true }]
      })
    }).pipe(Effect.provide(Emulator.layerTest())))
})

it.effect("the contract's derived client decodes usage and feature controls", () =>
  Effect.gen(function*() {
    const client = yield* contractClient
    const days = yield* client.usage.get({ path: { organizationId: 11 }, urlParams: { organizationTimezone: true } })
    expect(days).toHaveLength(30)
    expect(typeof days[0]?.dataTransfer).toBe("number")
    const controls = yield* client.featureControls.list({
      path: { organizationId: 11 },
      urlParams: { cols: ["id", "name"] }
    })
    expect(controls.map((control) => control.id)).toEqual([12, 7, 3])
    const switched = yield* client.featureControls.update({
      path: { organizationId: 11 },
      payload: { id: 7, enabled: false }
    })
    expect(switched.enabled).toBe(false)
    const unknown = yield* Effect.flip(
      client.featureControls.update({ path: { organizationId: 11 }, payload: { id: 8, enabled: false } })
    )
    expect(unknown).toMatchObject({ _tag: "NotFound", status: 404 })
  }).pipe(Effect.provide(Emulator.layerTest())))
