// The chaos suite: 240 mixed calls (creates included) against the emulator with 20 % 5xx, 10 % 429 and 2 % resets,
// all under TestClock. Every call must end in success or its typed error, and no call may create twice. Ported from
// the Effect 3 line; imports `effect`, src/.
import { describe, expect, it } from "@effect/vitest"
import { Cause, Effect, Exit, Fiber, Option } from "effect"
import { TestClock } from "effect/testing"
import * as AdminTeams from "../src/AdminTeams.js"
import * as Billing from "../src/Billing.js"
import type * as MakeError from "../src/MakeError.js"
import * as Organizations from "../src/Organizations.js"
import * as OrganizationVariables from "../src/OrganizationVariables.js"
import * as Emulator from "../src/testing/Emulator.js"
import * as Store from "../src/testing/emulator/Store.js"
import * as MakeTest from "../src/testing/MakeTest.js"
import * as Usage from "../src/Usage.js"

const faults = { seed: 20261124, serverError: 0.2, rateLimited: 0.1, reset: 0.02, retryAfterSeconds: 1 }
const rounds = 40

/** Runs a call in the background and lets the TestClock run every wait it schedules. */
const settle = <A>(call: Effect.Effect<A, MakeError.MakeError>) =>
  Effect.gen(function*() {
    const fiber = yield* Effect.forkChild(Effect.exit(call))
    yield* TestClock.adjust("10 minutes")
    return yield* Fiber.join(fiber)
  })

/** The teams the emulator holds for an organization (Effect 3's `emulator.teams`). */
const teamsOf = (organizationId: number) =>
  Effect.map(
    Effect.flatMap(Emulator.Emulator, (emulator) => emulator.snapshot),
    (data) => Store.inOrganization(data.teams, organizationId)
  )

describe("chaos", () => {
  it.effect(`${rounds * 6} mixed calls under 20 % 5xx, 10 % 429, 2 % resets`, () =>
    Effect.gen(function*() {
      const orgs = yield* Organizations.Organizations
      const teams = yield* AdminTeams.AdminTeams
      const variables = yield* OrganizationVariables.OrganizationVariables
      const billing = yield* Billing.Billing
      const usage = yield* Usage.Usage

      const outcomes = new Map<string, number>()
      const creates: Array<{ readonly path: string; readonly name: string }> = []
      let calls = 0
      for (let round = 0; round < rounds; round++) {
        const teamName = `chaos-team-${round}`
        const variableName = `chaos_${round}`
        creates.push({ path: "/admin/teams", name: teamName }, {
          path: "/organizations/11/variables",
          name: variableName
        })
        const batch: ReadonlyArray<Effect.Effect<unknown, MakeError.MakeError>> = [
          orgs.get(11),
          orgs.list({ limit: 2 }),
          teams.create({ name: teamName, organizationId: 11 }),
          variables.create(11, { name: variableName, typeId: 1, value: round }),
          round % 2 === 0 ? billing.payments(11, { limit: 2 }) : usage.get(11),
          round % 3 === 0 ? teams.update(22, { name: `Marketing ${round}` }) : orgs.get(999)
        ]
        for (const call of batch) {
          const exit = yield* settle(call)
          calls++
          // A defect or an interruption here would be a bug: only a success or a typed failure may come out.
          const tag = Exit.match(exit, {
            onSuccess: () => "success",
            onFailure: (cause) =>
              Option.match(Cause.findErrorOption(cause), {
                onNone: () => `defect: ${Cause.pretty(cause)}`,
                onSome: (error) => error._tag
              })
          })
          outcomes.set(tag, (outcomes.get(tag) ?? 0) + 1)
        }
      }

      const log = yield* Emulator.requests
      const processedCreates = (create: { readonly path: string; readonly name: string }) =>
        log.filter((r) =>
          r.method === "POST" && r.path === create.path && r.processed && r.status !== 429 &&
          typeof r.body === "object" && r.body !== null && "name" in r.body && r.body.name === create.name
        ).length
      const duplicates = creates.filter((create) => processedCreates(create) > 1).length
      const teamsCreated = (yield* teamsOf(11)).filter((t) => t.name.startsWith("chaos-team-"))
      const figures = {
        calls,
        requests: log.length,
        retries: log.length - calls,
        faults: log.filter((r) => r.fault !== undefined).length,
        "5xx": log.filter((r) =>
          r.fault === "500" || r.fault === "502" || r.fault === "503" || r.fault === "504"
        ).length,
        "429": log.filter((r) => r.fault === "429").length,
        resets: log.filter((r) => r.fault === "reset").length,
        duplicates,
        outcomes: Object.fromEntries(outcomes)
      }

      expect(calls).toBeGreaterThanOrEqual(200)
      expect([...outcomes.keys()].filter((tag) => tag.startsWith("defect"))).toEqual([])
      const allowed = new Set([
        "success",
        "NotFound",
        "ServerError",
        "RateLimited",
        "TransportError",
        "UnexpectedResponse"
      ])
      expect([...outcomes.keys()].filter((tag) => !allowed.has(tag))).toEqual([])
      expect(duplicates).toBe(0)
      // not a vacuous check: most creates reached the emulator under the paths and names looked for
      expect(creates.filter((create) => processedCreates(create) === 1).length).toBeGreaterThan(rounds)
      // every team the chaos created is there once, and at least one was created
      expect(teamsCreated.length).toBeGreaterThan(0)
      expect(new Set(teamsCreated.map((t) => t.name)).size).toBe(teamsCreated.length)
      // the faults really happened, and retries really absorbed most of them (the figures in the message on failure)
      expect([figures["5xx"] > 20, figures["429"] > 10, figures.retries > 30], JSON.stringify(figures)).toEqual([
        true,
        true,
        true
      ])
      expect(outcomes.get("success") ?? 0, JSON.stringify(figures)).toBeGreaterThan(calls * 0.6)
    }).pipe(Effect.provide(MakeTest.layer({ faults, syncDelay: "0 millis" }))), 60_000)

  it.effect("an interrupted call is aborted on the emulator's side too, and not sent again", () =>
    Effect.gen(function*() {
      const orgs = yield* Organizations.Organizations
      const fiber = yield* Effect.forkChild(orgs.get(11))
      yield* TestClock.adjust("1 second")
      yield* Fiber.interrupt(fiber)
      yield* TestClock.adjust("10 minutes")
      const log = yield* Emulator.requests
      expect(log).toHaveLength(1)
      expect(log[0]).toMatchObject({ path: "/organizations/11", aborted: true, processed: false })
    }).pipe(
      Effect.provide(MakeTest.layer({ faults: { seed: 1, latency: { probability: 1, duration: "5 seconds" } } }))
    ))
})
