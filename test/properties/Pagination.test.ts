// Properties of `Pagination.stream`: over any total, start and page size, each item comes exactly once, in order, with
// the fewest requests (offsets in order), and a page is requested only once the consumer has taken every item before
// it: at most one page is held. The same over the emulator's teams, for a few organizations of any size.
// Imports `effect` and src/ only.
import { describe, expect, it, layer } from "@effect/vitest"
import { Effect, Schema, Stream } from "effect"
import * as AdminTeams from "../../src/AdminTeams.js"
import * as Organizations from "../../src/Organizations.js"
import * as Pagination from "../../src/Pagination.js"
import * as Emulator from "../../src/testing/Emulator.js"
import * as MakeTest from "../../src/testing/MakeTest.js"

/** Items `0 … total-1`, served a page at a time; records each request and what the consumer had taken then. */
const pagedSource = (total: number) => {
  const requests: Array<{ readonly offset: number; readonly limit: number; readonly taken: number }> = []
  let taken = 0
  const fetchPage = ({ limit, offset }: { readonly offset: number; readonly limit: number }) =>
    Effect.sync(() => {
      requests.push({ offset, limit, taken })
      const items = Array.from({ length: Math.max(0, Math.min(total, offset + limit) - offset) }, (_, i) => offset + i)
      return { items, pg: { offset, limit } }
    })
  return { requests, fetchPage, took: () => taken++ }
}

/** Pages a walk from `offset` over `total` items needs: every full page, then the short (maybe empty) one that ends it. */
const pagesFor = (total: number, offset: number, limit: number) => Math.floor(Math.max(0, total - offset) / limit) + 1

const Int = (minimum: number, maximum: number) => Schema.Int.check(Schema.isBetween({ minimum, maximum }))

const walks = { total: Int(0, 400), offset: Int(0, 60), limit: Int(1, 40) }

describe("properties: Pagination.stream", () => {
  // plain `it.prop` over `Effect.runSync`: the walk is synchronous, and a test runtime per run would cost more than it
  it.prop(
    "any total, start and page size: each item once, in order, fewest requests, one page held at a time",
    walks,
    ({ limit, offset, total }) =>
      Effect.gen(function*() {
        const source = pagedSource(total)
        const seen: Array<number> = []
        yield* Pagination.stream(source.fetchPage, { offset, limit }).pipe(
          Stream.runForEach((item) => Effect.sync(() => (seen.push(item), source.took())))
        )
        expect(seen).toEqual(Array.from({ length: Math.max(0, total - offset) }, (_, i) => offset + i))
        const pages = pagesFor(total, offset, limit)
        expect(source.requests.map((r) => r.offset)).toEqual(
          Array.from({ length: pages }, (_, i) => offset + i * limit)
        )
        expect(source.requests.every((r) => r.limit === limit)).toBe(true)
        // the page at `offset + i·limit` is asked for only once the consumer took the i·limit items before it
        expect(source.requests.map((r) => r.taken)).toEqual(Array.from({ length: pages }, (_, i) => i * limit))
      }).pipe(Effect.runSync),
    { arbitrary: { runs: 150 } }
  )

  it.prop(
    "a consumer that stops early: no page past the one it stopped in is requested",
    { ...walks, take: Int(1, 100) },
    ({ limit, offset, take, total }) =>
      Effect.gen(function*() {
        const source = pagedSource(total)
        const taken = yield* Pagination.stream(source.fetchPage, { offset, limit }).pipe(
          Stream.take(take),
          Stream.runCollect
        )
        const available = Math.max(0, total - offset)
        expect(taken).toEqual(Array.from({ length: Math.min(take, available) }, (_, i) => offset + i))
        const pagesTouched = take < available ? Math.ceil(take / limit) : pagesFor(total, offset, limit)
        expect(source.requests.length).toBeLessThanOrEqual(pagesTouched)
      }).pipe(Effect.runSync),
    { arbitrary: { runs: 100 } }
  )

  layer(MakeTest.layer({ syncDelay: 0 }))((it) => {
    it.effect.prop(
      "over the emulator: every team of an organization of any size, once, in list order, one request per page",
      { teams: Int(0, 12), limit: Int(1, 5) },
      ({ limit, teams }) =>
        Effect.gen(function*() {
          const orgs = yield* Organizations.Organizations
          const admin = yield* AdminTeams.AdminTeams
          const emulator = yield* Emulator.Emulator
          const { organization } = yield* orgs.create({ name: "Paged", regionId: 1, timezoneId: 113, countryId: 1 })
          for (let i = 0; i < teams; i++) {
            yield* admin.create({ name: `Team ${String(i).padStart(2, "0")}`, organizationId: organization.id })
          }
          const all = yield* admin.list(organization.id, { limit: 10_000 })
          yield* emulator.clearRequests

          const streamed = yield* Stream.runCollect(admin.stream(organization.id, { limit }))

          expect(streamed.map((team) => team.id)).toEqual(all.items.map((team) => team.id))
          const requests = yield* emulator.requests
          expect(requests.map((r) => [r.method, r.path, r.query["pg[offset]"]])).toEqual(
            Array.from(
              { length: pagesFor(all.items.length, 0, limit) },
              (_, i) => ["GET", "/admin/teams", String(i * limit)]
            )
          )
        }),
      { timeout: 30_000, arbitrary: { runs: 6 } }
    )
  })
})
