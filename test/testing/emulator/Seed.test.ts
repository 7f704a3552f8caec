// The emulator's data at start: the default seed record for record as Effect 3's, the `--seed FILE` schema, the
// settings' defaults, and the bounded request log.
import { describe, expect, it } from "@effect/vitest"
import { Chunk, Duration, Effect, Exit, Option, Redacted, Ref, Result, Schema } from "effect"
import { TestClock } from "effect/testing"
import { readFileSync } from "node:fs"
import { defaultToken, rateLimitSettings, settings } from "../../../src/testing/emulator/Options.js"
import type { RecordedRequest } from "../../../src/testing/emulator/Records.js"
import * as RequestLog from "../../../src/testing/emulator/RequestLog.js"
import { decodeSeedFile, defaultSeed, fromSeed, makeState, SeedFile } from "../../../src/testing/emulator/Seed.js"
import { type Data, type Index, inOrganization, organizationsOf } from "../../../src/testing/emulator/Store.js"
import { dayMillis, isoOf } from "../../../src/testing/EmulatorCatalog.js"

// `fromSeed(seed, settings(), 0)` for the default seed and for conformance/seed.json as plain JSON
// (fixtures/emulator-seed.json, dumped from the Effect 3 line, which holds its default seed to the same file): the two
// lines must start from the same data.
const effect3: {
  readonly defaultSeed: unknown
  readonly conformanceSeed: unknown
} = JSON.parse(readFileSync(new URL("../../../fixtures/emulator-seed.json", import.meta.url), "utf8"))

/** The data as plain JSON, records listed organization by organization (the order the emulator answers in). */
const dump = (data: Data) => {
  const orgs = organizationsOf(data)
  const byOrg = <K, A extends { readonly organizationId: number }>(index: Index<K, A>) =>
    orgs.flatMap((org) => inOrganization(index, org.id))
  return JSON.parse(JSON.stringify({
    organizations: orgs,
    nextId: data.nextId,
    teams: byOrg(data.teams),
    users: data.users,
    memberships: byOrg(data.memberships),
    teamRoles: data.teamRoles,
    invitations: byOrg(data.invitations),
    customApps: byOrg(data.customApps),
    payments: byOrg(data.payments),
    subscriptions: byOrg(data.subscriptions),
    variables: byOrg(data.variables),
    featureControls: byOrg(data.featureControls),
    counters: data.counters
  }))
}

describe("the default seed", () => {
  it("is Effect 3's, record for record (ids, hashes, amounts, history, feature controls)", () => {
    expect(dump(fromSeed(defaultSeed, settings(), 0))).toEqual(effect3.defaultSeed)
  })

  it("names what the conformance suite relies on", () => {
    const data = fromSeed(defaultSeed, settings(), 0)
    expect(organizationsOf(data).map((org) => [org.id, org.name, org.activeScenarios])).toEqual([
      [11, "Acme", 3],
      [12, "Beta Labs", 0],
      [13, "Gamma", 0]
    ])
    expect(inOrganization(data.invitations, 11).map((i) => i.hash)).toEqual(["bf1effe1-bc9d-4ab3-9414-9c3b66175305"])
    expect(data.nextId).toBe(26)
    expect(data.counters).toEqual({ user: 1001, invitation: 2, payment: 508, subscription: 403, historyEntry: 8 })
  })

  it.effect("is dated by the Clock: seeded now, payments and history days before", () =>
    Effect.gen(function*() {
      yield* TestClock.adjust(Duration.days(100))
      const now = 100 * dayMillis
      const state = yield* makeState()
      const data = yield* Ref.get(state.data)
      expect(organizationsOf(data).every((org) => org.createdAt === now && org.syncedAt === now)).toBe(true)
      expect(inOrganization(data.payments, 11).map((p) => p.createdAt)).toEqual(
        [65, 50, 35, 20, 5].map((days) => isoOf(now - days * dayMillis))
      )
      const dailyLimit = inOrganization(data.variables, 11).find((v) => v.name === "dailyLimit")
      expect(dailyLimit?.history.map((entry) => [entry.timestamp, entry.change])).toEqual([
        [isoOf(now - dayMillis), { _tag: "Created", value: 100 }],
        [isoOf(now), { _tag: "Updated", originalValue: 100, newValue: 250 }]
      ])
      expect(yield* Ref.get(state.log)).toEqual(RequestLog.empty)
    }))
})

describe("--seed FILE", () => {
  it.effect("conformance/seed.json decodes to Effect 3's data", () =>
    Effect.gen(function*() {
      const text = readFileSync(new URL("../../../conformance/seed.json", import.meta.url), "utf8")
      const seed = yield* decodeSeedFile(text)
      expect(dump(fromSeed(seed, settings(), 0))).toEqual(effect3.conformanceSeed)
    }))

  it.effect("a file without teams gives every organization its catalogue feature controls and no teams", () =>
    Effect.gen(function*() {
      const seed = yield* decodeSeedFile(`{"organizations":[{"id":7,"name":"Solo","activeScenarios":1}]}`)
      const data = fromSeed(seed, settings(), 0)
      expect(organizationsOf(data).map((org) => [org.id, org.activeScenarios, org.zone])).toEqual([
        [7, 1, "eu1.make.com"]
      ])
      expect(inOrganization(data.teams, 7)).toEqual([])
      expect(inOrganization(data.featureControls, 7).map((c) => [c.id, c.enabled])).toEqual([
        [3, true],
        [7, false],
        [12, true]
      ])
      expect(data.nextId).toBe(8)
    }))

  it.effect.each([
    { what: "not JSON", text: "{organizations:" },
    { what: "a fractional id", text: `{"organizations":[{"id":1.5,"name":"A"}]}` },
    { what: "a missing name", text: `{"teams":[{"id":1,"organizationId":2}]}` },
    { what: "a null field", text: `{"organizations":[{"id":1,"name":"A","zone":null}]}` },
    { what: "a string id", text: `{"organizations":[{"id":"1","name":"A"}]}` }
  ])("$what is a SchemaError", ({ text }) =>
    Effect.gen(function*() {
      const exit = yield* Effect.exit(decodeSeedFile(text))
      expect(Exit.isFailure(exit)).toBe(true)
      expect(Result.isFailure(Schema.decodeUnknownResult(SeedFile)(text))).toBe(true)
    }))
})

describe("options", () => {
  it("fill in Make's defaults", () => {
    const resolved = settings()
    expect(Redacted.value(resolved.token)).toBe(Redacted.value(defaultToken))
    expect([resolved.userId, resolved.userName, resolved.userEmail, resolved.zone]).toEqual([
      1,
      "Awesome Maker",
      "noreply@make.com",
      "eu1.make.com"
    ])
    expect(Duration.toMillis(resolved.syncDelay)).toBe(2000)
    expect(Option.isNone(resolved.rateLimit)).toBe(true)
    expect(Duration.toMillis(settings({ syncDelay: "5 seconds" }).syncDelay)).toBe(5000)
  })

  it("turn the rate limit on with the licence's limit, a sliding minute and seconds", () => {
    expect(rateLimitSettings(false)).toEqual(Option.none())
    expect(rateLimitSettings(true)).toEqual(
      Option.some({ perMinute: Option.none(), window: "sliding", retryAfterAs: "seconds" })
    )
    expect(rateLimitSettings({ perMinute: 5, window: "fixed" })).toEqual(
      Option.some({ perMinute: Option.some(5), window: "fixed", retryAfterAs: "seconds" })
    )
  })
})

describe("the request log", () => {
  const entry = (at: number): RecordedRequest => ({
    method: "GET",
    path: "/organizations",
    query: {},
    body: undefined,
    bodyBytes: 0,
    status: 200,
    authenticated: true,
    at,
    processed: true,
    aborted: false
  })

  it("keeps the newest entries: a full log drops its oldest tenth at once and counts them", () => {
    let log = RequestLog.empty
    for (let i = 0; i < RequestLog.capacity; i++) log = RequestLog.append(entry(i))(log)
    expect([Chunk.size(log.entries), log.dropped]).toEqual([RequestLog.capacity, 0])
    log = RequestLog.append(entry(RequestLog.capacity))(log)
    expect(Chunk.size(log.entries)).toBe(RequestLog.capacity - RequestLog.dropBatch + 1)
    expect(log.dropped).toBe(RequestLog.dropBatch)
    expect(Chunk.toReadonlyArray(log.entries).map((e) => e.at).slice(0, 1)).toEqual([RequestLog.dropBatch])
    expect(Chunk.toReadonlyArray(log.entries).at(-1)?.at).toBe(RequestLog.capacity)
  })
})
