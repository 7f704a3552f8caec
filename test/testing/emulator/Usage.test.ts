// The Usage area's pure operations: 30 days ending today in the user's or the organization's timezone, and feature
// controls by descending id, filtered, projected and switched.
import { describe, expect, it } from "@effect/vitest"
import { Schema } from "effect"
import { FeatureControlEnvelope, FeatureControlList, UsageList } from "../../../src/api/UsageApi.js"
import { patchOrganization } from "../../../src/testing/emulator/Organizations.js"
import { inOrganization } from "../../../src/testing/emulator/Store.js"
import { listFeatureControls, switchFeatureControl, usage } from "../../../src/testing/emulator/Usage.js"
import { usageOf } from "../../../src/testing/EmulatorCatalog.js"
import { failure, ok, seeded } from "./support.js"

const expected = (organizationId: number, date: string) => {
  const day = usageOf(organizationId, date)
  return { date, operations: day.operations, dataTransfer: String(day.dataTransfer), centicredits: day.centicredits }
}

const days = (organizationId: number, now: number, userOffsetMinutes = 0, organizationTimezone = false) =>
  ok(usage(seeded, organizationId, { now, userOffsetMinutes, organizationTimezone })).usage

describe("usage", () => {
  it("30 days, oldest first, ending today; deterministic integers, dataTransfer as a numeric string", () => {
    const now = Date.UTC(2025, 2, 10, 12)
    const body = ok(usage(seeded, 11, { now, userOffsetMinutes: 0, organizationTimezone: false }))
    expect(Schema.decodeUnknownResult(UsageList)(body)._tag).toBe("Success")
    const all = body.usage
    expect(all.map((day) => day.date)).toEqual(
      Array.from({ length: 30 }, (_, i) => new Date(Date.UTC(2025, 1, 9 + i)).toISOString().slice(0, 10))
    )
    expect(all).toEqual(all.map((day) => expected(11, day.date)))
    for (const day of all) {
      expect(typeof day.dataTransfer === "string" && /^\d+$/.test(day.dataTransfer)).toBe(true)
      expect(Number(day.centicredits)).toBeGreaterThanOrEqual(Number(day.operations) * 100)
    }
    expect(days(12, now)).not.toEqual(all)
    expect(days(11, now)).toEqual(all)
    expect(failure(usage(seeded, 999, { now, userOffsetMinutes: 0, organizationTimezone: false }))).toMatchObject({
      resource: "organization",
      id: 999
    })
  })

  it("near midnight UTC, organizationTimezone=true moves the days to the organization's timezone", () => {
    // 23:30 UTC is already tomorrow in Prague (Acme's timezone, +01:00).
    const now = Date.UTC(2025, 0, 15, 23, 30)
    const mine = days(11, now)
    const acme = days(11, now, 0, true)
    expect([mine[0]?.date, mine[29]?.date]).toEqual(["2024-12-17", "2025-01-15"])
    expect([acme[0]?.date, acme[29]?.date]).toEqual(["2024-12-18", "2025-01-16"])
    // A day is the same day whichever timezone named it.
    expect(acme.slice(0, 29)).toEqual(mine.slice(1))
    expect(days(11, now + 3_600_000)[29]?.date).toBe("2025-01-16")
    // The organization's timezone is read at request time: New York is still on the 15th at 00:30 UTC.
    const [, moved] = ok(patchOrganization(11, { timezoneId: 23 })(seeded))
    const ny = ok(usage(moved, 11, { now: now + 3_600_000, userOffsetMinutes: 0, organizationTimezone: true }))
    expect(ny.usage[29]?.date).toBe("2025-01-15")
  })

  it("the user's timezone comes from the settings", () => {
    // 20:00 UTC: 01:30 the next day in Kolkata (the user), 21:00 the same day in Rome (Beta Labs).
    const now = Date.UTC(2025, 5, 30, 20)
    expect(days(12, now, 330)[29]?.date).toBe("2025-07-01")
    expect(days(12, now, 330, true)[29]?.date).toBe("2025-06-30")
  })
})

describe("feature controls", () => {
  it("listed by descending id, every column; cols[] projects to exactly the columns asked", () => {
    const body = ok(listFeatureControls(seeded, 11, {}))
    expect(body).toEqual({
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
    })
    expect(Schema.decodeUnknownResult(FeatureControlList)(body)._tag).toBe("Success")
    expect(ok(listFeatureControls(seeded, 13, { cols: ["id", "enabled"] }))).toEqual({
      featureControls: [{ id: 12, enabled: true }, { id: 7, enabled: false }, { id: 3, enabled: false }]
    })
    expect(failure(listFeatureControls(seeded, 999, {}))).toMatchObject({ resource: "organization", id: 999 })
  })

  it("featureControlName filters by exact name", () => {
    expect(ok(listFeatureControls(seeded, 11, { featureControlName: "Make AI Tools" })).featureControls).toEqual([
      expect.objectContaining({ id: 3, name: "Make AI Tools" })
    ])
    expect(ok(listFeatureControls(seeded, 11, { featureControlName: "make ai tools" })).featureControls).toEqual([])
    expect(ok(listFeatureControls(seeded, 11, { featureControlName: "Custom Functions", cols: ["enabled"] })))
      .toEqual({ featureControls: [{ enabled: true }] })
  })

  it("PATCH switches one control of one organization; an unknown id is a 404", () => {
    const [switched, data] = ok(switchFeatureControl(11, { id: 3, enabled: false })(seeded))
    expect(switched).toEqual({
      featureControl: {
        id: 3,
        name: "Make AI Tools",
        enabled: false,
        description: "AI modules and the AI assistant in the scenario editor."
      }
    })
    expect(Schema.decodeUnknownResult(FeatureControlEnvelope)(switched)._tag).toBe("Success")
    expect(ok(listFeatureControls(data, 11, { cols: ["id", "enabled"] }))).toEqual({
      featureControls: [{ id: 12, enabled: true }, { id: 7, enabled: true }, { id: 3, enabled: false }]
    })
    expect(inOrganization(data.featureControls, 12).find((control) => control.id === 3)?.enabled).toBe(true)
    expect(failure(switchFeatureControl(11, { id: 99, enabled: true })(seeded))).toMatchObject({
      _tag: "NotFound",
      status: 404,
      detail: "Feature control not found.",
      code: "SC404",
      resource: "featureControl",
      id: 99
    })
  })
})
