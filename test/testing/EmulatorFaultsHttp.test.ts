// The emulator's fault plan over HTTP on the Effect 4 line, through the in-process layer on TestClock (and once on a
// port): each fault on the wire and in the request log, state left as the decision says, Effect 3's seeded sequence.
import { describe, expect, it } from "@effect/vitest"
import { Effect, Fiber, Layer, Option, Redacted } from "effect"
import { FetchHttpClient, HttpClient, HttpClientRequest, HttpServer } from "effect/http"
import { TestClock } from "effect/testing"
import * as Emulator from "../../src/testing/Emulator.js"
import * as EmulatorFaults from "../../src/testing/EmulatorFaults.js"
import { mixedPlan, recordedDecisions } from "./recordedFaults.js"

const withToken = HttpClientRequest.setHeader("authorization", `Token ${Redacted.value(Emulator.defaultToken)}`)

interface Exchange {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly text: string
}

const exchange = (request: HttpClientRequest.HttpClientRequest, base: string = Emulator.baseUrl) =>
  Effect.gen(function*() {
    const client = yield* HttpClient.HttpClient
    const response = yield* client.execute(HttpClientRequest.prependUrl(withToken(request), base))
    const answer: Exchange = { status: response.status, headers: response.headers, text: yield* response.text }
    return answer
  })

const rawGet = (path: string) => exchange(HttpClientRequest.get(path))
const newTeam = (name: string, organizationId = 12) =>
  HttpClientRequest.post("/admin/teams").pipe(HttpClientRequest.bodyJsonUnsafe({ name, organizationId }))

const lastRequest = Effect.flatMap(Emulator.Emulator, (emulator) => Effect.map(emulator.requests, (all) => all.at(-1)))
const faults = Effect.flatMap(
  Emulator.Emulator,
  (emulator) => Effect.map(emulator.requests, (requests) => requests.map((request) => request.fault ?? "-"))
)
const teamNames = Effect.flatMap(
  Emulator.Emulator,
  (emulator) => Effect.map(emulator.teams(12), (teams) => teams.map((team) => team.name))
)

/** An error and its causes, outermost first. */
const causeChain = (error: unknown): ReadonlyArray<unknown> =>
  error instanceof Error ? [error, ...causeChain(error.cause)] : error === undefined ? [] : [error]
const codesIn = (error: unknown): ReadonlyArray<string> =>
  causeChain(error).flatMap((cause) =>
    typeof cause === "object" && cause !== null && "code" in cause && typeof cause.code === "string"
      ? [cause.code]
      : []
  )

const nameIn = (body: unknown): unknown =>
  typeof body === "object" && body !== null && "name" in body ? body.name : undefined

const makeBody429 = {
  detail: "Requests limit for organization exceeded, please try again later.",
  message: "Too many requests",
  code: "SC429"
}

describe("Emulator: the fault plan over HTTP", () => {
  // The plan whose decisions for seed 7 were recorded on the Effect 3 line (./recordedFaults.ts).
  const mixed = mixedPlan(7)
  const recordedSeed7 = recordedDecisions.find(([seed]) => seed === 7)?.[1] ?? ""
  /** The log's name for each recorded decision. */
  const logged = (recorded: string): string =>
    recorded === "None"
      ? "-"
      : recorded.startsWith("latency")
      ? "latency"
      : recorded.startsWith("429")
      ? "429"
      : /^\d{3}[+-]$/.test(recorded)
      ? recorded.slice(0, 3)
      : recorded.toLowerCase()

  const thirtyReads = (plan: EmulatorFaults.FaultPlan) =>
    Effect.gen(function*() {
      const statuses: Array<number | string> = []
      for (let i = 0; i < 30; i++) {
        const pending = yield* Effect.forkChild(Effect.result(rawGet("/organizations/11")))
        yield* TestClock.adjust("1 second")
        const result = yield* Fiber.join(pending)
        statuses.push(result._tag === "Success" ? result.success.status : codesIn(result.failure).join(","))
      }
      return { statuses, faults: yield* faults }
    }).pipe(Effect.provide(Emulator.layerTest({ faults: plan })))

  it.effect("a seed gives the Effect 3 line's faults in the log, request for request; the same seed again, the same", () =>
    Effect.gen(function*() {
      const first = yield* thirtyReads(mixed)
      expect(first.faults).toEqual(recordedSeed7.split(" ").map(logged))
      expect(first.statuses).toEqual(
        recordedSeed7.split(" ").map((recorded) =>
          recorded === "Refused" ? "ECONNREFUSED" : /^\d{3}[+-]$/.test(recorded) ?
            Number(recorded.slice(0, 3)) :
            recorded.startsWith("429")
            ? 429
            : 200
        )
      )
      expect(yield* thirtyReads(mixed)).toEqual(first)
      expect((yield* thirtyReads({ ...mixed, seed: 8 })).faults).not.toEqual(first.faults)
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
            if (withReads) yield* rawGet("/organizations/12")
            yield* exchange(newTeam(`Team ${i}`))
          }
          const emulator = yield* Emulator.Emulator
          const requests = yield* emulator.requests
          return requests.filter((request) => request.method === "POST").map((request) => request.fault ?? "-")
        }).pipe(Effect.provide(Emulator.layerTest({ faults: plan })))
      const alone = yield* writes(false)
      expect(yield* writes(true)).toEqual(alone)
      expect(alone).toEqual(
        Array.from({ length: 12 }, (_, n) => EmulatorFaults.faultOf(EmulatorFaults.decide(plan, n)) ?? "-")
      )
      expect(alone.filter((fault) => fault !== "-").length).toBeGreaterThan(0)
    }))

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
      expect(processed.length).toBeGreaterThan(0)
      expect(processed.length).toBeLessThan(requests.length)
      expect(requests.map((request) => request.processed)).toEqual(
        Array.from({ length: 12 }, (_, n) => {
          const decision = EmulatorFaults.decide({ seed: 11, serverError: 1 }, n)
          return decision._tag === "ServerError" && decision.processed
        })
      )
      expect((yield* teamNames).filter((name) => name.startsWith("Retry me"))).toEqual(
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
      const before = yield* teamNames
      const limited = yield* exchange(newTeam("Never made"))
      expect(limited.status).toBe(429)
      expect(limited.headers["retry-after"]).toBe("7")
      expect(JSON.parse(limited.text)).toEqual(makeBody429)
      expect(yield* teamNames).toEqual(before)
      expect(yield* lastRequest).toMatchObject({ status: 429, fault: "429", processed: false, aborted: false })

      yield* TestClock.adjust("10 seconds")
      yield* emulator.setFaults({ seed: 1, rateLimited: 1, retryAfterSeconds: 2, retryAfterAs: "date" })
      const dated = yield* rawGet("/organizations/11")
      expect(dated.status).toBe(429)
      expect(dated.headers["retry-after"]).toBe("Thu, 01 Jan 1970 00:00:12 GMT")
    }).pipe(Effect.provide(Emulator.layerTest({ faults: { seed: 5, rateLimited: 1, retryAfterSeconds: 7 } }))))

  it.effect("reset: a transport error over fetch's (TypeError \"fetch failed\", cause ECONNRESET); no change", () =>
    Effect.gen(function*() {
      const before = yield* teamNames
      const error = yield* Effect.flip(exchange(newTeam("Lost")))
      expect(error.reason._tag).toBe("TransportError")
      const chain = causeChain(error.reason)
      expect(chain[1]).toBeInstanceOf(TypeError)
      expect(chain[1]).toHaveProperty("message", "fetch failed")
      expect(chain[2]).toBeInstanceOf(Emulator.ConnectionError)
      expect(chain[2]).toMatchObject({ code: "ECONNRESET", syscall: "read", message: "read ECONNRESET" })
      expect(yield* teamNames).toEqual(before)
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
      const error = yield* Effect.flip(exchange(newTeam("Never sent")))
      expect(error.reason._tag).toBe("TransportError")
      expect(codesIn(error.reason)).toEqual(["ECONNREFUSED"])
      expect(causeChain(error.reason)[2]).toMatchObject({
        syscall: "connect",
        message: "connect ECONNREFUSED localhost:80"
      })
      expect(yield* teamNames).not.toContain("Never sent")
      expect(yield* lastRequest).toMatchObject({
        path: "/admin/teams",
        body: undefined,
        bodyBytes: 0,
        status: 0,
        fault: "refused",
        processed: false,
        aborted: false
      })
    }).pipe(Effect.provide(Emulator.layerTest({ faults: { seed: 1, refused: 1 } }))))

  it.effect("truncated: a complete 200 whose JSON is cut in half, Content-Length matching, after processing", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.Emulator
      const cut = yield* rawGet("/organizations/11")
      yield* emulator.clearFaults
      const whole = yield* rawGet("/organizations/11")
      expect(cut.status).toBe(200)
      expect(cut.text).toBe(whole.text.slice(0, Math.floor(whole.text.length / 2)))
      expect(cut.headers["content-length"]).toBe(String(new TextEncoder().encode(cut.text).length))
      expect(() => JSON.parse(cut.text)).toThrow()

      yield* emulator.setFaults({ seed: 1, truncated: 1 })
      const created = yield* exchange(newTeam("Made anyway"))
      expect(created.status).toBe(200)
      expect(yield* teamNames).toContain("Made anyway")
      const requests = yield* emulator.requests
      expect(requests.map((r) => [r.fault, r.processed])).toEqual([
        ["truncated", true],
        [undefined, true],
        ["truncated", true]
      ])
    }).pipe(Effect.provide(Emulator.layerTest({ faults: { seed: 1, truncated: 1 } }))))

  it.effect("latency: the answer comes after the delay on the TestClock, no real time spent", () =>
    Effect.gen(function*() {
      const pending = yield* Effect.forkChild(rawGet("/organizations/11"))
      yield* TestClock.adjust("4 seconds")
      expect(Option.isNone(Option.fromNullishOr(pending.pollUnsafe()))).toBe(true)
      yield* TestClock.adjust("1 second")
      expect((yield* Fiber.join(pending)).status).toBe(200)
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

  it.effect("a client that goes away while delayed is logged aborted (499), unprocessed; nothing is made", () =>
    Effect.gen(function*() {
      const delayed = yield* Effect.forkChild(exchange(newTeam("Abandoned")))
      yield* TestClock.adjust("1 second")
      yield* Fiber.interrupt(delayed)
      expect(yield* lastRequest).toMatchObject({
        method: "POST",
        body: { name: "Abandoned", organizationId: 12 },
        status: 499,
        fault: "latency",
        processed: false,
        aborted: true
      })
      yield* TestClock.adjust("1 minute")
      expect(yield* teamNames).not.toContain("Abandoned")
    }).pipe(
      Effect.provide(Emulator.layerTest({ faults: { seed: 1, latency: { probability: 1, duration: "5 seconds" } } }))
    ))

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
      expect(Option.map(yield* emulator.faults, (active) => active.drawn)).toEqual(Option.some(10))
      yield* emulator.clearFaults
      expect(yield* statuses(3)).toEqual([200, 200, 200])
      const logged = yield* faults
      expect(logged.slice(0, 3)).toEqual(["-", "-", "-"])
      expect(logged.slice(-3)).toEqual(["-", "-", "-"])
    }).pipe(Effect.provide(Emulator.layerTest())))
})

describe("Emulator: connection faults on a real port", () => {
  it.live("reset and refused destroy the socket: fetch fails with ECONNRESET; the log tells them apart", () =>
    Effect.gen(function*() {
      const server = yield* HttpServer.HttpServer
      const base = `${HttpServer.formatAddress(server.address)}${Emulator.basePath}`
      const emulator = yield* Emulator.Emulator
      const reset = yield* Effect.flip(exchange(newTeam("Reset"), base))
      expect(reset.reason._tag).toBe("TransportError")
      expect(codesIn(reset.reason)).toContain("ECONNRESET")

      yield* emulator.setFaults({ seed: 1, refused: 1 })
      const refused = yield* Effect.flip(exchange(newTeam("Refused"), base))
      // A server cannot refuse a connection it accepted: on the wire, a refused request is a reset too.
      expect(codesIn(refused.reason)).toContain("ECONNRESET")

      yield* emulator.clearFaults
      expect((yield* rawGetAt(base)).status).toBe(200)
      const requests = yield* emulator.requests
      expect(requests.map((r) => [r.fault, r.status, r.processed, r.aborted])).toEqual([
        ["reset", 0, false, false],
        ["refused", 0, false, false],
        [undefined, 200, true, false]
      ])
      expect(requests[0]?.body).toEqual({ name: "Reset", organizationId: 12 })
      expect(requests[1]?.body).toBeUndefined()
      expect(yield* teamNames).toEqual(["My Team"])
    }).pipe(
      Effect.provide(Layer.merge(Emulator.layer({ faults: { seed: 1, reset: 1 } }), FetchHttpClient.layer))
    ))
})

const rawGetAt = (base: string) => exchange(HttpClientRequest.get("/organizations/12"), base)
