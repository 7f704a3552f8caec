// Tests of the emulator's unreliability through a raw HttpClient: seeded fault plans (determinism, each fault's wire
// behaviour and log entry), the per-organization rate limit under TestClock, aborted requests, both transports.
import { type Headers, HttpClient, HttpClientRequest } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { Duration, Effect, FastCheck as fc, Fiber, HashMap, Option, Schedule, TestClock } from "effect"
import { Emulator, EmulatorFaults, MakeTest } from "../../src/testing/index.js"
import { mostInAnyWindow } from "../windows.js"
import { awaitPendingSleep, emulatorOnAPort, get, patch, post, send, withToken } from "./wire.js"

/** Everything an answer carries, the body as text (a truncated body is not JSON). */
interface Exchange {
  readonly status: number
  readonly headers: Headers.Headers
  readonly text: string
}

const exchange = (request: HttpClientRequest.HttpClientRequest, base = Emulator.baseUrl) =>
  Effect.gen(function*() {
    const client = yield* HttpClient.HttpClient
    const response = yield* client.execute(HttpClientRequest.prependUrl(request.pipe(withToken()), base))
    const answer: Exchange = { status: response.status, headers: response.headers, text: yield* response.text }
    return answer
  })

const rawGet = (path: string) => exchange(HttpClientRequest.get(path))

const newTeam = (name: string, organizationId = 12) =>
  HttpClientRequest.post("/admin/teams").pipe(HttpClientRequest.bodyUnsafeJson({ name, organizationId }))

/** Each request's fault as the log names it (`-` for none). */
const faults = Effect.flatMap(
  Emulator.Emulator,
  (emulator) => Effect.map(emulator.requests, (requests) => requests.map((request) => request.fault ?? "-"))
)

const { lastRequest } = Emulator

/** The `name` of a logged JSON body. */
const nameIn = (body: unknown): unknown =>
  typeof body === "object" && body !== null && "name" in body ? body.name : undefined

/** An error and its causes, outermost first. */
const causeChain = (error: unknown): ReadonlyArray<unknown> =>
  error instanceof Error ? [error, ...causeChain(error.cause)] : error === undefined ? [] : [error]

/** The system error codes (`ECONNRESET`, ...) along a cause chain. */
const codesIn = (error: unknown): ReadonlyArray<string> =>
  causeChain(error).flatMap((cause) =>
    typeof cause === "object" && cause !== null && "code" in cause && typeof cause.code === "string"
      ? [cause.code]
      : []
  )

/** Lets an interrupted request's fiber finish until the log holds `count` entries. */
const awaitLogged = (count: number) =>
  Effect.flatMap(Emulator.Emulator, (emulator) =>
    emulator.requests.pipe(
      Effect.tap(() => Effect.yieldNow()),
      Effect.repeat({ until: (requests) => requests.length >= count, schedule: Schedule.recurs(100_000) }),
      Effect.zipRight(emulator.requests)
    ))

const makeBody429 = {
  detail: "Requests limit for organization exceeded, please try again later.",
  message: "Too many requests",
  code: "SC429"
}

describe("Emulator: fault injection", () => {
  describe("determinism", () => {
    const mixed = (seed: number): EmulatorFaults.FaultPlan => ({
      seed,
      serverError: 0.2,
      rateLimited: 0.15,
      reset: 0.1,
      refused: 0.05,
      truncated: 0.1,
      latency: { probability: 0.1, duration: "0 millis" }
    })
    // Thirty reads, whatever they get back (connection faults included).
    const run = (plan: EmulatorFaults.FaultPlan) =>
      Effect.gen(function*() {
        for (let i = 0; i < 30; i++) yield* Effect.either(rawGet("/organizations/11"))
        return yield* faults
      }).pipe(Effect.provide(Emulator.layerTest({ faults: plan })))

    it.effect("the same seed and the same requests give the same faults; another seed, other faults", () =>
      Effect.gen(function*() {
        const first = yield* run(mixed(7))
        const again = yield* run(mixed(7))
        const other = yield* run(mixed(8))
        expect(again).toEqual(first)
        expect(other).not.toEqual(first)
        // A mix of everything the plan asks for, and clean requests.
        expect(new Set(first).size).toBeGreaterThanOrEqual(5)
        expect(first).toContain("-")
      }))

    it.effect("requests the plan does not match are not numbered: they do not shift the faults of the others", () =>
      Effect.gen(function*() {
        const plan: EmulatorFaults.FaultPlan = {
          seed: 3,
          serverError: 0.5,
          match: (request) => request.method === "POST"
        }
        const writes = (withReads: boolean) =>
          Effect.gen(function*() {
            for (let i = 0; i < 12; i++) {
              if (withReads) yield* get("/organizations/12")
              yield* exchange(newTeam(`Team ${i}`))
            }
            const emulator = yield* Emulator.Emulator
            const requests = yield* emulator.requests
            return requests.filter((request) => request.method === "POST").map((request) => request.fault ?? "-")
          }).pipe(Effect.provide(Emulator.layerTest({ faults: plan })))
        const alone = yield* writes(false)
        expect(yield* writes(true)).toEqual(alone)
        expect(alone.filter((fault) => fault !== "-").length).toBeGreaterThan(0)
      }))

    it("the draw is a pure function of the seed and the request's number, with the asked proportions", () => {
      const plan: EmulatorFaults.FaultPlan = { seed: 2024, serverError: 0.3, truncated: 0.1 }
      const decisions = Array.from({ length: 2000 }, (_, n) => EmulatorFaults.decide(plan, n))
      expect(Array.from({ length: 2000 }, (_, n) => EmulatorFaults.decide(plan, n))).toEqual(decisions)
      const serverErrors = decisions.flatMap((d) => d._tag === "ServerError" ? [d] : [])
      const truncated = decisions.filter((d) => d._tag === "Truncated")
      expect(serverErrors.length).toBeGreaterThan(520)
      expect(serverErrors.length).toBeLessThan(680)
      expect(truncated.length).toBeGreaterThan(150)
      expect(truncated.length).toBeLessThan(250)
      expect(new Set(serverErrors.map((d) => d.status))).toEqual(new Set([500, 502, 503, 504]))
      const after = serverErrors.filter((d) => d.processed).length
      expect(after / serverErrors.length).toBeGreaterThan(0.4)
      expect(after / serverErrors.length).toBeLessThan(0.6)
      expect(EmulatorFaults.decide({ seed: 1 }, 0)).toEqual(EmulatorFaults.noFault)
      expect(EmulatorFaults.decide({ seed: 1, reset: 1 }, 5)).toEqual({ _tag: "Reset" })
    })
  })

  describe("each fault on the wire and in the log", () => {
    it.effect("5xx: drawn before processing (nothing changes) or after (change made, client told it failed)", () =>
      Effect.gen(function*() {
        const emulator = yield* Emulator.Emulator
        const answers: Array<Exchange> = []
        for (let i = 0; i < 12; i++) answers.push(yield* exchange(newTeam(`Retry me ${i}`)))
        for (const answer of answers) {
          expect([500, 502, 503, 504]).toContain(answer.status)
          expect(JSON.parse(answer.text)).toMatchObject({ code: `SC${answer.status}` })
        }
        const requests = yield* emulator.requests
        expect(requests.map((request) => request.fault)).toEqual(answers.map((answer) => `${answer.status}`))
        const processed = requests.filter((request) => request.processed)
        // Both halves happen under this seed: a client that blindly retries a POST would duplicate the processed ones.
        expect(processed.length).toBeGreaterThan(0)
        expect(processed.length).toBeLessThan(requests.length)
        const created = (yield* emulator.teams(12)).map((team) => team.name)
        expect(created.filter((name) => name.startsWith("Retry me"))).toEqual(
          processed.map((request) => nameIn(request.body))
        )
        expect(requests.every((request) => !request.aborted)).toBe(true)
      }).pipe(
        Effect.provide(Emulator.layerTest({
          faults: { seed: 11, serverError: 1, match: (request) => request.path === "/admin/teams" }
        }))
      ))

    it.effect("429: Make's body with Retry-After in seconds or as an HTTP-date, answered before processing", () =>
      Effect.gen(function*() {
        const emulator = yield* Emulator.Emulator
        const before = yield* emulator.teams(12)
        const limited = yield* exchange(newTeam("Never made"))
        expect(limited.status).toBe(429)
        expect(limited.headers["retry-after"]).toBe("7")
        expect(JSON.parse(limited.text)).toEqual(makeBody429)
        expect(yield* emulator.teams(12)).toEqual(before)
        expect(yield* lastRequest).toMatchObject({ status: 429, fault: "429", processed: false, aborted: false })

        yield* TestClock.adjust("10 seconds")
        yield* emulator.setFaults({ seed: 1, rateLimited: 1, retryAfterSeconds: 2, retryAfterAs: "date" })
        const dated = yield* rawGet("/organizations/11")
        expect(dated.status).toBe(429)
        expect(dated.headers["retry-after"]).toBe("Thu, 01 Jan 1970 00:00:12 GMT")
      }).pipe(Effect.provide(Emulator.layerTest({ faults: { seed: 5, rateLimited: 1, retryAfterSeconds: 7 } }))))

    it.effect("reset: fetch rejects as undici's does (TypeError \"fetch failed\", cause ECONNRESET); no change", () =>
      Effect.gen(function*() {
        const emulator = yield* Emulator.Emulator
        const before = yield* emulator.teams(12)
        const error = yield* Effect.flip(exchange(newTeam("Lost")))
        expect(error._tag).toBe("RequestError")
        expect(error.reason).toBe("Transport")
        const [, fetchError, systemError] = causeChain(error)
        expect(fetchError).toBeInstanceOf(TypeError)
        expect(fetchError).toHaveProperty("message", "fetch failed")
        expect(systemError).toBeInstanceOf(Emulator.ConnectionError)
        expect(systemError).toMatchObject({ code: "ECONNRESET", syscall: "read", message: "read ECONNRESET" })
        expect(codesIn(error)).toEqual(["ECONNRESET"])
        expect(yield* emulator.teams(12)).toEqual(before)
        expect(yield* lastRequest).toEqual({
          method: "POST",
          path: "/admin/teams",
          query: {},
          body: { name: "Lost", organizationId: 12 },
          bodyBytes: 35,
          status: 0,
          authenticated: true,
          at: 0,
          fault: "reset",
          processed: false,
          aborted: false
        })
      }).pipe(Effect.provide(Emulator.layerTest({ faults: { seed: 1, reset: 1 } }))))

    it.effect("refused: cause ECONNREFUSED, and the request was not even read", () =>
      Effect.gen(function*() {
        const emulator = yield* Emulator.Emulator
        const error = yield* Effect.flip(exchange(newTeam("Never sent")))
        expect(error.reason).toBe("Transport")
        expect(codesIn(error)).toEqual(["ECONNREFUSED"])
        expect(causeChain(error)[2]).toMatchObject({ syscall: "connect", message: "connect ECONNREFUSED localhost:80" })
        expect((yield* emulator.teams(12)).map((team) => team.name)).not.toContain("Never sent")
        expect(yield* lastRequest).toMatchObject({
          path: "/admin/teams",
          body: undefined,
          status: 0,
          fault: "refused",
          processed: false,
          aborted: false
        })
      }).pipe(Effect.provide(Emulator.layerTest({ faults: { seed: 1, refused: 1 } }))))

    it.effect("truncated: a complete 200 whose JSON is cut in half, after the request was processed", () =>
      Effect.gen(function*() {
        const emulator = yield* Emulator.Emulator
        const cut = yield* rawGet("/organizations/11")
        yield* emulator.clearFaults
        const whole = yield* rawGet("/organizations/11")
        expect(cut.status).toBe(200)
        expect(cut.text).toBe(whole.text.slice(0, Math.floor(whole.text.length / 2)))
        expect(cut.headers["content-length"]).toBe(String(cut.text.length))
        expect(() => JSON.parse(cut.text)).toThrow()

        yield* emulator.setFaults({ seed: 1, truncated: 1 })
        const created = yield* exchange(newTeam("Made anyway"))
        expect(created.status).toBe(200)
        expect((yield* emulator.teams(12)).map((team) => team.name)).toContain("Made anyway")
        const requests = yield* emulator.requests
        expect(requests.map((r) => [r.fault, r.processed])).toEqual([
          ["truncated", true],
          [undefined, true],
          ["truncated", true]
        ])
      }).pipe(Effect.provide(Emulator.layerTest({ faults: { seed: 1, truncated: 1 } }))))

    it.effect("latency: the answer comes after the delay on the TestClock, no real time spent", () =>
      Effect.gen(function*() {
        const pending = yield* Effect.fork(get("/organizations/11"))
        yield* awaitPendingSleep
        yield* TestClock.adjust("4 seconds")
        expect(Option.isNone(yield* Fiber.poll(pending))).toBe(true)
        yield* TestClock.adjust("1 second")
        expect(yield* Fiber.join(pending)).toMatchObject({ status: 200, body: { organization: { id: 11 } } })
        expect(yield* lastRequest).toMatchObject({
          status: 200,
          at: 0,
          fault: "latency",
          processed: true,
          aborted: false
        })
      }).pipe(
        Effect.provide(Emulator.layerTest({ faults: { seed: 1, latency: { probability: 1, duration: "5 seconds" } } }))
      ))

    it.effect("a client that goes away is logged aborted: unprocessed while delayed, processed in the handler", () =>
      Effect.gen(function*() {
        const emulator = yield* Emulator.Emulator
        const delayed = yield* Effect.fork(exchange(newTeam("Abandoned")))
        yield* awaitPendingSleep
        yield* Fiber.interrupt(delayed)
        const [first] = yield* awaitLogged(1)
        expect(first).toMatchObject({
          method: "POST",
          body: { name: "Abandoned", organizationId: 12 },
          status: 499,
          fault: "latency",
          processed: false,
          aborted: true
        })
        // The delay ran out with nobody waiting: nothing was made.
        yield* TestClock.adjust("1 minute")
        expect((yield* emulator.teams(12)).map((team) => team.name)).not.toContain("Abandoned")

        // Aborted inside the handler: a wait=true read of an organization not yet synchronised.
        yield* emulator.clearFaults
        yield* post("/organizations", { name: "Fresh", regionId: 1, timezoneId: 113, countryId: 1 })
        const waiting = yield* Effect.fork(get("/organizations/26", { wait: "true" }))
        yield* awaitPendingSleep
        yield* Fiber.interrupt(waiting)
        const requests = yield* awaitLogged(3)
        expect(requests[2]).toMatchObject({ path: "/organizations/26", status: 499, processed: true, aborted: true })
        expect(requests[2]?.fault).toBeUndefined()
      }).pipe(
        Effect.provide(Emulator.layerTest({ faults: { seed: 1, latency: { probability: 1, duration: "5 seconds" } } }))
      ))
  })

  it.effect("faults change at run time: setFaults numbers requests from 0 again, clearFaults ends them", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.Emulator
      const statuses = (count: number) =>
        Effect.gen(function*() {
          const seen: Array<number> = []
          for (let i = 0; i < count; i++) seen.push((yield* rawGet("/organizations/11")).status)
          return seen
        })
      expect(yield* statuses(3)).toEqual([200, 200, 200])
      const plan: EmulatorFaults.FaultPlan = { seed: 99, serverError: 0.5, rateLimited: 0.3 }
      yield* emulator.setFaults(plan)
      const first = yield* statuses(10)
      yield* emulator.setFaults(plan)
      expect(yield* statuses(10)).toEqual(first)
      expect(first.some((status) => status !== 200)).toBe(true)
      yield* emulator.clearFaults
      expect(yield* statuses(3)).toEqual([200, 200, 200])
      const logged = yield* faults
      expect(logged.slice(0, 3)).toEqual(["-", "-", "-"])
      expect(logged.slice(-3)).toEqual(["-", "-", "-"])
    }).pipe(Effect.provide(Emulator.layerTest())))

  it.effect("MakeTest passes faults and the rate limit on to its emulator", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.Emulator
      const active = yield* emulator.faults
      expect(Option.map(active, (current) => [current.plan.seed, current.drawn])).toEqual(Option.some([4, 0]))
      expect(emulator.settings.rateLimit).toEqual(
        Option.some({ perMinute: Option.some(5), window: "sliding", retryAfterAs: "seconds" })
      )
    }).pipe(Effect.provide(MakeTest.layer({ faults: { seed: 4, serverError: 0.1 }, rateLimit: { perMinute: 5 } }))))
})

describe("Emulator: the per-organization rate limit", () => {
  it.effect("fixed windows count each organization apart in whole minutes; past the limit, 429 with Retry-After", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.Emulator
      for (let i = 0; i < 3; i++) expect((yield* get("/organizations/11")).status).toBe(200)
      yield* TestClock.adjust("10 seconds")
      const limited = yield* rawGet("/organizations/11/variables")
      expect(limited.status).toBe(429)
      expect(limited.headers["retry-after"]).toBe("50")
      expect(JSON.parse(limited.text)).toEqual(makeBody429)
      expect(yield* lastRequest).toMatchObject({ status: 429, fault: "rateLimit", processed: false })

      // Everything about organization 11 shares its count.
      expect((yield* get("/admin/teams", { organizationId: "11" })).status).toBe(429)
      expect((yield* post("/admin/teams", { name: "Over", organizationId: 11 })).status).toBe(429)
      expect((yield* patch("/admin/teams/21", { name: "Over" })).status).toBe(429)
      expect((yield* get("/organizations/invitation", { hash: "bf1effe1-bc9d-4ab3-9414-9c3b66175305" })).status)
        .toBe(429)
      expect((yield* emulator.teams(11)).map((team) => team.name)).not.toContain("Over")
      // Other organizations have their own; requests about no organization share one more.
      expect((yield* get("/organizations/12")).status).toBe(200)
      expect((yield* post("/admin/teams", { name: "Beta team", organizationId: 12 })).status).toBe(200)
      expect((yield* get("/organizations")).status).toBe(200)

      yield* TestClock.adjust("49 seconds")
      expect((yield* rawGet("/organizations/11")).headers["retry-after"]).toBe("1")
      yield* TestClock.adjust("1 second")
      // A new window: three more.
      for (let i = 0; i < 3; i++) expect((yield* get("/organizations/11")).status).toBe(200)
      expect((yield* get("/organizations/11")).status).toBe(429)
    }).pipe(Effect.provide(Emulator.layerTest({ rateLimit: { perMinute: 3, window: "fixed" } }))))

  it.effect("with `true`, each organization's limit is its licence's apiLimit (and follows a licence change)", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.Emulator
      // Gamma (13) is on a Core-like licence: 60 a minute.
      for (let i = 0; i < 60; i++) expect((yield* get("/organizations/13")).status).toBe(200)
      expect((yield* get("/organizations/13")).status).toBe(429)
      expect((yield* get("/organizations/11")).status).toBe(200)
      yield* emulator.setLicense(13, { apiLimit: 120 })
      expect((yield* get("/organizations/13")).status).toBe(200)
    }).pipe(Effect.provide(Emulator.layerTest({ rateLimit: true }))))

  it.effect("fixed windows, Retry-After as an HTTP-date: the end of the window", () =>
    Effect.gen(function*() {
      yield* TestClock.adjust("90 seconds")
      expect((yield* get("/organizations/12")).status).toBe(200)
      const limited = yield* rawGet("/organizations/12")
      expect(limited.headers["retry-after"]).toBe("Thu, 01 Jan 1970 00:02:00 GMT")
    }).pipe(Effect.provide(Emulator.layerTest({ rateLimit: { perMinute: 1, window: "fixed", retryAfterAs: "date" } }))))

  it.effect("fixed windows let twice the limit through across a boundary", () =>
    Effect.gen(function*() {
      const statuses = Effect.forEach([1, 2, 3], () => Effect.map(get("/organizations/12"), (answer) => answer.status))
      yield* TestClock.adjust("59 seconds")
      expect(yield* statuses).toEqual([200, 200, 200])
      yield* TestClock.adjust("1 second")
      expect(yield* statuses).toEqual([200, 200, 200])
    }).pipe(Effect.provide(Emulator.layerTest({ rateLimit: { perMinute: 3, window: "fixed" } }))))

  it.effect("a sliding minute does not: the same requests meet 429 until the first leaves the window", () =>
    Effect.gen(function*() {
      yield* TestClock.adjust("59 seconds")
      for (let i = 0; i < 3; i++) expect((yield* get("/organizations/12")).status).toBe(200)
      yield* TestClock.adjust("1 second")
      const limited = yield* rawGet("/organizations/12")
      expect(limited.status).toBe(429)
      expect(limited.headers["retry-after"]).toBe("59")
    }).pipe(Effect.provide(Emulator.layerTest({ rateLimit: { perMinute: 3, window: "sliding" } }))))

  it.effect("a sliding minute: 429 while the last 60 s hold the limit, Retry-After until the oldest leaves them", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.Emulator
      expect(Option.map(emulator.settings.rateLimit, (settings) => settings.window)).toEqual(Option.some("sliding"))
      const at = (seconds: number) =>
        Effect.flatMap(TestClock.currentTimeMillis, (now) => TestClock.adjust(seconds * 1000 - now))
      const retryAfter = Effect.map(
        rawGet("/organizations/11"),
        (answer) => [answer.status, answer.headers["retry-after"]]
      )

      for (const second of [0, 20, 40]) {
        yield* at(second)
        expect((yield* get("/organizations/11")).status).toBe(200)
      }
      yield* at(50)
      expect(yield* retryAfter).toEqual([429, "10"])
      expect(yield* lastRequest).toMatchObject({ status: 429, fault: "rateLimit", processed: false })
      // Everything about organization 11 shares its count; other organizations and no organization have their own.
      expect((yield* get("/admin/teams", { organizationId: "11" })).status).toBe(429)
      expect((yield* get("/organizations/12")).status).toBe(200)
      expect((yield* get("/organizations")).status).toBe(200)
      // Whole seconds, rounded up: 0.5 s to wait is "1".
      yield* TestClock.adjust(9_500)
      expect(yield* retryAfter).toEqual([429, "1"])
      // Waiting what Retry-After said is enough: the request of 0 s left the window at 60 s (a minute later, exactly).
      yield* at(60)
      expect((yield* get("/organizations/11")).status).toBe(200)
      // Full again (20, 40, 60): the next place frees at 80 s; the 429s did not count.
      expect(yield* retryAfter).toEqual([429, "20"])
      yield* at(80)
      expect((yield* get("/organizations/11")).status).toBe(200)
      expect(yield* retryAfter).toEqual([429, "20"])
    }).pipe(Effect.provide(Emulator.layerTest({ rateLimit: { perMinute: 3 } }))))

  it.effect("a sliding minute, Retry-After as an HTTP-date: when the oldest request leaves it", () =>
    Effect.gen(function*() {
      yield* TestClock.adjust("90 seconds")
      expect((yield* get("/organizations/12")).status).toBe(200)
      yield* TestClock.adjust("10 seconds")
      const limited = yield* rawGet("/organizations/12")
      expect(limited.headers["retry-after"]).toBe("Thu, 01 Jan 1970 00:02:30 GMT")
    }).pipe(Effect.provide(Emulator.layerTest({ rateLimit: { perMinute: 1, retryAfterAs: "date" } }))))

  it.effect("a sliding minute under a lowered limit: Retry-After until enough have left", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.Emulator
      for (let i = 0; i < 4; i++) {
        expect((yield* get("/organizations/13")).status).toBe(200)
        yield* TestClock.adjust("10 seconds")
      }
      // 0, 10, 20, 30 s in the window; at 40 s the limit drops to 2: one may stay, so three must leave, the last at 80 s.
      yield* emulator.setLicense(13, { apiLimit: 2 })
      expect((yield* rawGet("/organizations/13")).headers["retry-after"]).toBe("40")
      yield* TestClock.adjust("39 seconds")
      expect((yield* get("/organizations/13")).status).toBe(429)
      yield* TestClock.adjust("1 second")
      expect((yield* get("/organizations/13")).status).toBe(200)
    }).pipe(Effect.provide(Emulator.layerTest({ rateLimit: true }))))

  it.prop(
    "admit: no sliding 60 s holds more than the limit, and a 429's wait is exactly until the next would pass",
    { limit: fc.integer({ min: 1, max: 5 }), gaps: fc.array(fc.integer({ min: 0, max: 40_000 }), { maxLength: 60 }) },
    ({ gaps, limit }) => {
      let windows: EmulatorFaults.RateWindows = HashMap.empty()
      let now = 0
      const admitted: Array<number> = []
      for (const gap of gaps) {
        now += gap
        const [wait, next] = EmulatorFaults.admit("organization:11", limit, now, "sliding")(windows)
        windows = next
        const inLastMinute = admitted.filter((at) => at > now - 60_000)
        expect(Option.isNone(wait)).toBe(inLastMinute.length < limit)
        if (Option.isNone(wait)) admitted.push(now)
        else {
          // One millisecond before the wait ends the window is still full; at its end it has room (requests admitted
          // in the same millisecond leave together, so the room may be more than one).
          const ready = now + Duration.toMillis(wait.value)
          expect(admitted.filter((at) => at > ready - 1 - 60_000).length).toBe(limit)
          expect(admitted.filter((at) => at > ready - 60_000).length).toBeLessThan(limit)
        }
      }
      expect(mostInAnyWindow(admitted, 60_000)).toBeLessThanOrEqual(limit)
    }
  )

  it.effect("off by default", () =>
    Effect.gen(function*() {
      for (let i = 0; i < 70; i++) expect((yield* get("/organizations/13")).status).toBe(200)
    }).pipe(Effect.provide(Emulator.layerTest())))
})

describe("Emulator: connection faults on a real port", () => {
  it.live("reset and refused destroy the socket: Node's fetch rejects with ECONNRESET; the log tells them apart", () =>
    Effect.gen(function*() {
      const server = yield* Emulator.EmulatorServer
      const emulator = yield* Emulator.Emulator
      const reset = yield* Effect.flip(exchange(newTeam("Reset"), server.baseUrl))
      expect(reset.reason).toBe("Transport")
      expect(causeChain(reset)[1]).toBeInstanceOf(TypeError)
      expect(codesIn(reset)).toContain("ECONNRESET")

      yield* emulator.setFaults({ seed: 1, refused: 1 })
      const refused = yield* Effect.flip(exchange(newTeam("Refused"), server.baseUrl))
      // A server cannot refuse a connection it accepted: on the wire, a refused request is a reset too.
      expect(codesIn(refused)).toContain("ECONNRESET")

      yield* emulator.clearFaults
      expect(yield* send(HttpClientRequest.get("/organizations/12").pipe(withToken()), server.baseUrl))
        .toMatchObject({ status: 200 })
      const requests = yield* emulator.requests
      expect(requests.map((r) => [r.fault, r.status, r.processed, r.aborted])).toEqual([
        ["reset", 0, false, false],
        ["refused", 0, false, false],
        [undefined, 200, true, false]
      ])
      expect(requests[0]?.body).toEqual({ name: "Reset", organizationId: 12 })
      expect(requests[1]?.body).toBeUndefined()
      expect((yield* emulator.teams(12)).map((team) => team.name)).toEqual(["My Team"])
    }).pipe(
      Effect.provide(
        emulatorOnAPort({ faults: { seed: 1, reset: 1 } })
      )
    ))
})
