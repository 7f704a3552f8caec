// Tests of the emulator's fault injection without HTTP: the seeded draw (the Effect 3 line's decisions, replay, rates,
// `match`), the plan in force, `--faults` JSON, Retry-After values, 5xx bodies and truncated bodies.
import { describe, expect, it } from "@effect/vitest"
import { Duration, Effect, Option, Ref, Schema } from "effect"
import { HttpServerResponse } from "effect/http"
import type { Options } from "../../src/testing/emulator/Options.js"
import { makeState } from "../../src/testing/emulator/Seed.js"
import * as EmulatorFaults from "../../src/testing/EmulatorFaults.js"
import type { Decision, FaultPlan, RequestLine } from "../../src/testing/EmulatorFaults.js"
import { mixedPlan, recordedDecisions } from "./recordedFaults.js"

const { activate, decide, draw, retryAfterValue } = EmulatorFaults

/** A decision in a few characters: `503+` is a 503 after the handler ran, `429:3000:date` a 429 of 3 s as a date. */
const show = (decision: Decision): string => {
  switch (decision._tag) {
    case "ServerError":
      return `${decision.status}${decision.processed ? "+" : "-"}`
    case "RateLimited":
      return `429:${Duration.toMillis(decision.retryAfter)}:${decision.form}`
    case "Latency":
      return `latency:${Duration.toMillis(decision.duration)}`
    default:
      return decision._tag
  }
}

const between = (minimum: number, maximum: number) => Schema.Int.check(Schema.isBetween({ minimum, maximum }))
const Seed = between(-2_147_483_648, 4_294_967_295)
const Line = Schema.Struct({
  method: Schema.Literals(["GET", "POST", "PATCH", "DELETE"]),
  path: Schema.Literals(["/organizations/11", "/admin/teams", "/organizations"])
})

/** The decisions of `lines` in order, drawn through a `Ref` as the middleware does. */
const drawAll = (plan: FaultPlan, lines: ReadonlyArray<RequestLine>) =>
  Effect.gen(function*() {
    const faults = yield* Ref.make(activate(plan))
    return yield* Effect.forEach(lines, (line) => Ref.modify(faults, draw(line)))
  })

describe("EmulatorFaults: the draw", () => {
  it("a seed draws the Effect 3 line's faults (seeds modulo 2^32, fractions dropped)", () => {
    for (const [seed, recorded] of recordedDecisions) {
      expect(Array.from({ length: 30 }, (_, n) => show(decide(mixedPlan(seed), n))).join(" ")).toBe(recorded)
    }
    // The generator itself, number for number.
    expect(Array.from({ length: 4 }, (_, n) => EmulatorFaults.randomFor(42, n)())).toEqual([
      0.2198819804470986,
      0.425975049380213,
      0.5512745066080242,
      0.6234814545605332
    ])
    const next = EmulatorFaults.mulberry32(7)
    expect([next(), next(), next()]).toEqual([0.011704753153026104, 0.06195825757458806, 0.97690763277933])
  })

  it("no plan, or no probability: no fault; certainty: always; clamped, NaN as 0, later outcomes get what is left", () => {
    expect(decide({ seed: 1 }, 0)).toEqual(EmulatorFaults.noFault)
    expect(decide({ seed: 1, reset: 1 }, 5)).toEqual({ _tag: "Reset" })
    expect(decide({ seed: 1, reset: Number.NaN, refused: 7 }, 3)).toEqual({ _tag: "Refused" })
    // serverError takes [0, 1): nothing is left for truncated.
    const decisions = Array.from({ length: 500 }, (_, n) => decide({ seed: 9, serverError: 1.5, truncated: 1 }, n))
    expect(decisions.every((decision) => decision._tag === "ServerError")).toBe(true)
    expect(decide({ seed: 1, rateLimited: 1 }, 0)).toEqual({
      _tag: "RateLimited",
      retryAfter: Duration.seconds(1),
      form: "seconds"
    })
    expect(decide({ seed: 1, latency: { probability: 1, duration: "5 seconds" } }, 0)).toEqual({
      _tag: "Latency",
      duration: Duration.seconds(5)
    })
  })

  it("the draw is a pure function of the seed and the request's number, with the asked proportions (Effect 3's case)", () => {
    const plan: FaultPlan = { seed: 2024, serverError: 0.3, truncated: 0.1 }
    const decisions = Array.from({ length: 2000 }, (_, n) => decide(plan, n))
    expect(Array.from({ length: 2000 }, (_, n) => decide(plan, n))).toEqual(decisions)
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
  })

  it("the log's name of each decision", () => {
    expect(EmulatorFaults.faultOf(EmulatorFaults.noFault)).toBeUndefined()
    expect(EmulatorFaults.faultOf({ _tag: "ServerError", status: 502, processed: true })).toBe("502")
    expect(EmulatorFaults.faultOf(decide({ seed: 1, rateLimited: 1 }, 0))).toBe("429")
    expect(EmulatorFaults.faultOf({ _tag: "Reset" })).toBe("reset")
    expect(EmulatorFaults.faultOf({ _tag: "Refused" })).toBe("refused")
    expect(EmulatorFaults.faultOf({ _tag: "Truncated" })).toBe("truncated")
    expect(EmulatorFaults.faultOf({ _tag: "Latency", duration: Duration.zero })).toBe("latency")
  })

  it.effect.prop(
    "a seed replays the same sequence: the n-th request drawn under a plan gets decide(plan, n), whatever ran before",
    { seed: Seed, lines: Schema.Array(Line).check(Schema.isMaxLength(40)) },
    ({ lines, seed }) =>
      Effect.gen(function*() {
        const plan = mixedPlan(seed)
        const first = yield* drawAll(plan, lines)
        expect(yield* drawAll(plan, lines)).toEqual(first)
        expect(first).toEqual(lines.map((_, n) => decide(plan, n)))
      }),
    { arbitrary: { runs: 100 } }
  )

  it.effect.prop(
    "match restricts faults to matching requests; the others are not numbered and shift nothing",
    { seed: Seed, lines: Schema.Array(Line).check(Schema.isMaxLength(40)) },
    ({ lines, seed }) =>
      Effect.gen(function*() {
        const plan: FaultPlan = { ...mixedPlan(seed), match: (request) => request.method === "POST" }
        const decisions = yield* drawAll(plan, lines)
        const writes = lines.flatMap((line, n) => line.method === "POST" ? [decisions[n]] : [])
        const others = lines.flatMap((line, n) => line.method === "POST" ? [] : [decisions[n]])
        expect(others.every((decision) => decision?._tag === "None")).toBe(true)
        // The writes get what they would get alone: the k-th write is request k.
        expect(writes).toEqual(writes.map((_, k) => decide(plan, k)))
      }),
    { arbitrary: { runs: 100 } }
  )

  // Each check below fails only if a rate strays more than `tolerance(n)` from its probability over n draws. For
  // independent uniform rolls, Hoeffding's inequality bounds that chance by 2·exp(-2·n·t²) = 1e-12 at t = tolerance(n),
  // so over all runs and checks of this property (fewer than 1,000) a false failure has odds below 1e-9. (The rolls are
  // a hash of the seed and the index, not truly independent; the same bound holds for any generator that is good
  // enough to use.)
  const tolerance = (n: number): number => Math.sqrt(Math.log(2 / 1e-12) / (2 * n))
  const Percent = between(0, 30)

  it.prop(
    "over many draws each outcome's rate is near its share of [0, 1); statuses, before/after and jitter are uniform",
    { seed: Seed, percents: Schema.Tuple([Percent, Percent, Percent, Percent, Percent, Percent]) },
    ({ percents, seed }) => {
      const [serverError, rateLimited, reset, refused, truncated, latency] = percents.map((p) => p / 100)
      const plan: FaultPlan = {
        seed,
        serverError,
        rateLimited,
        reset,
        refused,
        truncated,
        latency: { probability: latency ?? 0, duration: 100, jitter: 50 }
      }
      const n = 10_000
      const decisions = Array.from({ length: n }, (_, index) => decide(plan, index))
      const rate = (tag: Decision["_tag"]) => decisions.filter((decision) => decision._tag === tag).length / n
      // Consecutive slices of [0, 1) in this order; past 1, the later outcomes get what is left (perhaps nothing).
      const asked: ReadonlyArray<readonly [Decision["_tag"], number]> = [
        ["ServerError", serverError ?? 0],
        ["RateLimited", rateLimited ?? 0],
        ["Reset", reset ?? 0],
        ["Refused", refused ?? 0],
        ["Truncated", truncated ?? 0],
        ["Latency", latency ?? 0]
      ]
      let upTo = 0
      for (const [tag, p] of asked) {
        const share = Math.min(1, upTo + p) - Math.min(1, upTo)
        upTo += p
        expect(Math.abs(rate(tag) - share)).toBeLessThanOrEqual(tolerance(n))
      }
      expect(Math.abs(rate("None") - Math.max(0, 1 - upTo))).toBeLessThanOrEqual(tolerance(n))

      const errors = decisions.flatMap((decision) => decision._tag === "ServerError" ? [decision] : [])
      if (errors.length >= 1_000) {
        for (const status of [500, 502, 503, 504]) {
          const share = errors.filter((error) => error.status === status).length / errors.length
          expect(Math.abs(share - 0.25)).toBeLessThanOrEqual(tolerance(errors.length))
        }
        const after = errors.filter((error) => error.processed).length / errors.length
        expect(Math.abs(after - 0.5)).toBeLessThanOrEqual(tolerance(errors.length))
      }
      const delays = decisions.flatMap((decision) =>
        decision._tag === "Latency" ? [Duration.toMillis(decision.duration)] : []
      )
      expect(delays.every((ms) => Number.isInteger(ms) && ms >= 100 && ms <= 150)).toBe(true)
      if (delays.length >= 1_000) {
        // The extra milliseconds are uniform on 0..50: their mean is 25 (each lies in [0, 50], Hoeffding's range).
        const mean = delays.reduce((sum, ms) => sum + ms - 100, 0) / delays.length
        expect(Math.abs(mean - 25)).toBeLessThanOrEqual(50 * tolerance(delays.length))
      }
    },
    { arbitrary: { runs: 20 } }
  )
})

describe("EmulatorFaults: the plan in force", () => {
  it.effect("a new state holds the options' plan, nothing numbered; none without a plan", () =>
    Effect.gen(function*() {
      const plan: FaultPlan = { seed: 4, serverError: 0.1 }
      const state = yield* EmulatorFaults.makeFaultState(plan)
      expect(yield* Ref.get(state.faults)).toEqual(Option.some({ plan, drawn: 0 }))
      expect(yield* Ref.get((yield* EmulatorFaults.makeFaultState()).faults)).toEqual(Option.none())
      // The emulator's options carry the plan beside the rest: both states are made from the same options.
      const options: Options = { faults: plan, rateLimit: { perMinute: 5 } }
      const faults = yield* EmulatorFaults.makeFaultState(options.faults)
      expect(Option.map(yield* Ref.get(faults.faults), (active) => active.plan)).toEqual(Option.some(plan))
      expect((yield* makeState(options)).settings.rateLimit).toEqual(
        Option.some({ perMinute: Option.some(5), window: "sliding", retryAfterAs: "seconds" })
      )
    }))

  it.effect("setFaults numbers requests from 0 again (the same faults again); clearFaults ends them", () =>
    Effect.gen(function*() {
      const state = yield* EmulatorFaults.makeFaultState()
      const line: RequestLine = { method: "GET", path: "/organizations/11" }
      const next = (count: number) =>
        Effect.forEach(Array.from({ length: count }), () => Ref.modify(state.faults, draw(line)))
      expect((yield* next(3)).map(show)).toEqual(["None", "None", "None"])
      const plan: FaultPlan = { seed: 99, serverError: 0.5, rateLimited: 0.3 }
      yield* EmulatorFaults.setFaults(state, plan)
      const first = yield* next(10)
      expect(Option.map(yield* Ref.get(state.faults), (active) => active.drawn)).toEqual(Option.some(10))
      yield* EmulatorFaults.setFaults(state, plan)
      expect(yield* next(10)).toEqual(first)
      expect(first.some((decision) => decision._tag !== "None")).toBe(true)
      yield* EmulatorFaults.clearFaults(state)
      expect((yield* next(3)).map(show)).toEqual(["None", "None", "None"])
    }))
})

describe("EmulatorFaults: --faults JSON", () => {
  it.effect("decodes a plan, latency in milliseconds; it draws as the same plan written in code", () =>
    Effect.gen(function*() {
      const plan = yield* EmulatorFaults.decodeFaults(
        "{\"seed\":7,\"serverError\":0.2,\"rateLimited\":0.15,\"retryAfterSeconds\":3,\"retryAfterAs\":\"date\","
          + "\"reset\":0.1,\"refused\":0.05,\"truncated\":0.1,\"latency\":{\"probability\":0.1,\"duration\":250,\"jitter\":100}}"
      )
      expect(plan).toEqual({
        seed: 7,
        serverError: 0.2,
        rateLimited: 0.15,
        retryAfterSeconds: 3,
        retryAfterAs: "date",
        reset: 0.1,
        refused: 0.05,
        truncated: 0.1,
        latency: { probability: 0.1, duration: 250, jitter: 100 }
      })
      const inCode: FaultPlan = { ...plan, latency: { probability: 0.1, duration: "250 millis", jitter: "100 millis" } }
      expect(Array.from({ length: 50 }, (_, n) => decide(plan, n))).toEqual(
        Array.from({ length: 50 }, (_, n) => decide(inCode, n))
      )
      expect(yield* EmulatorFaults.decodeFaults("{\"seed\":1}")).toEqual({ seed: 1 })
    }))

  it.effect("refuses what is not a plan, naming every problem: ranges, forms, unknown keys, not JSON", () =>
    Effect.gen(function*() {
      const problems = (text: string) => Effect.map(Effect.flip(EmulatorFaults.decodeFaults(text)), (e) => e.message)
      const several = yield* problems(
        "{\"seed\":1,\"serverError\":1.5,\"retryAfterAs\":\"http-date\",\"latency\":{\"probability\":0.5,\"duration\":-1}}"
      )
      expect(several).toContain("serverError")
      expect(several).toContain("retryAfterAs")
      expect(several).toContain("duration")
      expect(yield* problems("{\"seed\":1,\"serverEror\":0.5}")).toContain("serverEror")
      expect(yield* problems("{\"serverError\":0.5}")).toContain("seed")
      const notJson = yield* Effect.flip(EmulatorFaults.decodeFaults("{seed: 1}"))
      expect(notJson._tag).toBe("SchemaError")
    }))
})

describe("EmulatorFaults: answers", () => {
  it("Retry-After: whole seconds rounded up, or the HTTP-date (GMT) when the wait ends", () => {
    expect(retryAfterValue(Duration.millis(500), "seconds", 0)).toBe("1")
    expect(retryAfterValue(Duration.seconds(7), "seconds", 123)).toBe("7")
    expect(retryAfterValue(Duration.zero, "seconds", 0)).toBe("0")
    expect(retryAfterValue(Duration.seconds(2), "date", 10_000)).toBe("Thu, 01 Jan 1970 00:00:12 GMT")
    expect(retryAfterValue(Duration.seconds(30), "date", 90_000)).toBe("Thu, 01 Jan 1970 00:02:00 GMT")
    expect(retryAfterValue(Duration.seconds(50), "date", 100_000)).toBe("Thu, 01 Jan 1970 00:02:30 GMT")
  })

  it.prop(
    "Retry-After read back: the seconds form is the wait rounded up; the date is now plus those seconds",
    { now: between(0, 4_102_444_800_000), wait: between(0, 86_400_000) },
    ({ now, wait }) => {
      const seconds = Number(retryAfterValue(Duration.millis(wait), "seconds", now))
      expect(seconds).toBe(Math.ceil(wait / 1000))
      const date = retryAfterValue(Duration.millis(wait), "date", now)
      expect(date).toMatch(/^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/)
      // The date has whole seconds: it is when the wait ends, to the second, never earlier.
      expect(Date.parse(date)).toBe(Math.floor(now / 1000) * 1000 + seconds * 1000)
    }
  )

  it("injected 5xx: the status, Make's error bodies", () => {
    for (const status of [500, 502, 503, 504] as const) {
      const response = EmulatorFaults.serverError(status)
      expect(response.status).toBe(status)
      expect(JSON.parse(bodyText(response))).toEqual(EmulatorFaults.serverErrorBody(status))
      expect(EmulatorFaults.serverErrorBody(status).code).toBe(`SC${status}`)
    }
    expect(EmulatorFaults.serverErrorBody(503)).toEqual({
      detail: "Service temporarily unavailable.",
      message: "Service Unavailable",
      code: "SC503"
    })
  })

  it("truncated: half the body (bytes, or a raw string's characters), status and headers kept, length following", () => {
    const whole = HttpServerResponse.jsonUnsafe(
      { organization: { id: 11, name: "Alpha" } },
      { status: 201, headers: { "x-kept": "yes" } }
    )
    const cut = EmulatorFaults.truncate(whole)
    const text = bodyText(whole)
    expect(bodyText(cut)).toBe(text.slice(0, Math.floor(text.length / 2)))
    expect(() => JSON.parse(bodyText(cut))).toThrow()
    expect(cut.status).toBe(201)
    expect(cut.headers["x-kept"]).toBe("yes")
    expect(cut.headers["content-type"]).toBe("application/json")
    expect(cut.headers["content-length"]).toBe(String(Math.floor(text.length / 2)))

    const raw = EmulatorFaults.truncate(HttpServerResponse.raw("abcdefg", { contentType: "text/plain" }))
    expect(bodyText(raw)).toBe("abc")
    expect(EmulatorFaults.truncateText("")).toBe("")
    expect(Array.from(EmulatorFaults.truncateBytes(Uint8Array.of(1, 2, 3, 4, 5)))).toEqual([1, 2])
    // Bodies not in memory are left whole.
    const empty = HttpServerResponse.empty({ status: 204 })
    expect(EmulatorFaults.truncate(empty)).toBe(empty)
  })
})

/** A response body held in memory, as text. */
function bodyText(response: HttpServerResponse.HttpServerResponse): string {
  const body = response.body
  if (body._tag === "Uint8Array") return new TextDecoder().decode(body.body)
  if (body._tag === "Raw" && typeof body.body === "string") return body.body
  throw new Error(`no body in memory: ${body._tag}`)
}
