import { describe, expect, it } from "@effect/vitest"
import { Effect, Stream } from "effect"
import * as Organizations from "../../src/Organizations.js"
import * as Emulator from "../../src/testing/Emulator.js"
import * as MakeTest from "../../src/testing/MakeTest.js"

describe("Organizations over the emulator", () => {
  it.effect("lists, gets, creates, and fails typed", () =>
    Effect.gen(function*() {
      const orgs = yield* Organizations.Organizations
      const page = yield* orgs.list({ limit: 2 })
      expect(page.items.length).toBeGreaterThan(0)
      const first = page.items[0]!
      const got = yield* orgs.get(first.id)
      expect(got.id).toBe(first.id)
      const missing = yield* Effect.flip(orgs.get(999999))
      expect(missing).toMatchObject({ _tag: "NotFound", resource: "organization", id: 999999 })
      const bad = yield* Effect.flip(orgs.get(-1))
      expect(bad._tag).toBe("InvalidInput")
      const all = yield* Stream.runCollect(orgs.stream({ limit: 1 }))
      expect(all.length).toBeGreaterThan(0)
      const requests = yield* Emulator.requests
      expect(requests.length).toBeGreaterThan(3)
    }).pipe(Effect.provide(MakeTest.layer())))
})
