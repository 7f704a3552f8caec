// FeatureControls over the emulator, the Effect 3 suite case by case: the list (by descending id, filtered by name,
// projected by cols[]), switching one control, every typed error, and the exact requests the emulator received.
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import * as FeatureControls from "../../src/FeatureControls.js"
import { requests } from "../../src/testing/Emulator.js"
import * as MakeTest from "../../src/testing/MakeTest.js"
import { featureControlsOf, lastRequest } from "../support/services.js"

const aiTools = {
  id: 3,
  name: "Make AI Tools",
  description: "AI modules and the AI assistant in the scenario editor."
}
const customFunctions = {
  id: 7,
  name: "Custom Functions",
  description: "Custom JavaScript functions in scenario mappings."
}
const scenarioSharing = {
  id: 12,
  name: "Scenario Sharing",
  description: "Sharing scenarios as public links and templates."
}

describe("FeatureControls", () => {
  it.effect("list: every control of the organization, by descending id, every column", () =>
    Effect.gen(function*() {
      const controls = yield* FeatureControls.FeatureControls
      const acme = yield* controls.list(11)
      expect(acme).toEqual([
        { ...scenarioSharing, enabled: true },
        { ...customFunctions, enabled: true },
        { ...aiTools, enabled: true }
      ])
      expect(yield* lastRequest).toMatchObject({
        method: "GET",
        path: "/organizations/11/feature-controls",
        query: {},
        body: undefined,
        status: 200
      })
      // Gamma's seed has AI tools off, Custom Functions off as in the catalogue.
      const gamma = yield* controls.list(13)
      expect(gamma.map((control) => [control.id, control.enabled])).toEqual([[12, true], [7, false], [3, false]])
    }).pipe(Effect.provide(MakeTest.layer())))

  it.effect("list: featureControlName and cols[] on the wire, id always among the columns", () =>
    Effect.gen(function*() {
      const controls = yield* FeatureControls.FeatureControls
      const found = yield* controls.list(11, { featureControlName: "Make AI Tools", cols: ["enabled"] })
      expect(found).toEqual([{ id: 3, enabled: true }])
      expect((yield* lastRequest)?.query).toEqual({ featureControlName: "Make AI Tools", "cols[]": ["id", "enabled"] })
    }).pipe(Effect.provide(MakeTest.layer())))

  it.effect("list: cols[] alone projects every control; id is not sent twice", () =>
    Effect.gen(function*() {
      const controls = yield* FeatureControls.FeatureControls
      const projected = yield* controls.list(12, { cols: ["name", "id"] })
      expect(projected).toEqual([
        { id: 12, name: "Scenario Sharing" },
        { id: 7, name: "Custom Functions" },
        { id: 3, name: "Make AI Tools" }
      ])
      expect((yield* lastRequest)?.query).toEqual({ "cols[]": ["id", "name"] })
    }).pipe(Effect.provide(MakeTest.layer())))

  it.effect("list: a name no control has is an empty list", () =>
    Effect.gen(function*() {
      const controls = yield* FeatureControls.FeatureControls
      expect(yield* controls.list(11, { featureControlName: "Time Travel" })).toEqual([])
      expect((yield* lastRequest)?.query).toEqual({ featureControlName: "Time Travel" })
    }).pipe(Effect.provide(MakeTest.layer())))

  it.effect("list: NotFound names the organization", () =>
    Effect.gen(function*() {
      const controls = yield* FeatureControls.FeatureControls
      const error = yield* Effect.flip(controls.list(999))
      expect(error).toMatchObject({
        _tag: "NotFound",
        status: 404,
        code: "SC404",
        detail: "Organization not found.",
        resource: "organization",
        id: 999
      })
    }).pipe(Effect.provide(MakeTest.layer())))

  it.effect("update: sends {id, enabled}, answers the control; the next list shows the change", () =>
    Effect.gen(function*() {
      const controls = yield* FeatureControls.FeatureControls
      const switched = yield* controls.update(11, { id: 3, enabled: false })
      expect(switched).toEqual({ ...aiTools, enabled: false })
      const request = yield* lastRequest
      expect(request).toMatchObject({
        method: "PATCH",
        path: "/organizations/11/feature-controls",
        query: {},
        status: 200
      })
      expect(request?.body).toEqual({ id: 3, enabled: false })
      const listed = yield* controls.list(11)
      expect(listed.map((control) => [control.id, control.enabled])).toEqual([[12, true], [7, true], [3, false]])
      // Only Acme's control changed.
      expect((yield* controls.list(12)).map((control) => control.enabled)).toEqual([true, false, true])
      expect((yield* featureControlsOf(11)).find((control) => control.id === 3)?.enabled).toBe(false)
    }).pipe(Effect.provide(MakeTest.layer())))

  it.effect("update: switching back on", () =>
    Effect.gen(function*() {
      const controls = yield* FeatureControls.FeatureControls
      expect((yield* controls.update(13, { id: 3, enabled: true })).enabled).toBe(true)
      expect((yield* lastRequest)?.body).toEqual({ id: 3, enabled: true })
      const [aiToolsControl] = yield* controls.list(13, { featureControlName: "Make AI Tools" })
      expect(aiToolsControl?.enabled).toBe(true)
    }).pipe(Effect.provide(MakeTest.layer())))

  it.effect("update: NotFound for a control the organization does not have names the feature control", () =>
    Effect.gen(function*() {
      const controls = yield* FeatureControls.FeatureControls
      const error = yield* Effect.flip(controls.update(11, { id: 99, enabled: true }))
      expect(error).toMatchObject({
        _tag: "NotFound",
        status: 404,
        code: "SC404",
        detail: "Feature control not found.",
        resource: "featureControl",
        id: 99,
        organizationId: 11
      })
      expect(error.message).toContain("Feature control 99 of organization 11 was not found")
      expect(yield* lastRequest).toMatchObject({ body: { id: 99, enabled: true }, status: 404 })
    }).pipe(Effect.provide(MakeTest.layer())))

  it.effect("update: NotFound for an unknown organization", () =>
    Effect.gen(function*() {
      const controls = yield* FeatureControls.FeatureControls
      const error = yield* Effect.flip(controls.update(999, { id: 3, enabled: true }))
      expect(error).toMatchObject({
        _tag: "NotFound",
        status: 404,
        detail: "Organization not found.",
        resource: "featureControl",
        id: 3,
        organizationId: 999
      })
      expect(yield* lastRequest).toMatchObject({ path: "/organizations/999/feature-controls", status: 404 })
    }).pipe(Effect.provide(MakeTest.layer())))

  it.effect("bad arguments: InvalidInput, and the emulator sees no request", () =>
    Effect.gen(function*() {
      const controls = yield* FeatureControls.FeatureControls
      const error = yield* Effect.flip(controls.update(11, { id: -1, enabled: true }))
      expect(error).toMatchObject({
        _tag: "InvalidInput",
        operation: "FeatureControls.update",
        // Effect 4's `isGreaterThan(0)` words the issue itself (Effect 3: "Expected a positive number, actual -1")
        issues: ["body.id: Expected a value greater than 0"]
      })
      const failures = [
        yield* Effect.flip(controls.update(0, { id: 3, enabled: true })),
        yield* Effect.flip(controls.list(0)),
        yield* Effect.flip(controls.list(11, { featureControlName: "  " }))
      ]
      expect(failures.map((failure) => failure._tag)).toEqual(["InvalidInput", "InvalidInput", "InvalidInput"])
      expect(yield* requests).toEqual([])
    }).pipe(Effect.provide(MakeTest.layer())))
})
