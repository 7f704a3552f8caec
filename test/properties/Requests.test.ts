// Property: for every method of every service (read from the tables) and any valid input (an arbitrary of its input
// schema, ids half the time those of the seed so answers are not all 404s), the emulator receives exactly the request
// the client encoded, on the endpoint's route, carrying every argument; a 2xx answer round-trips through its schema.
// Imports `effect`, `effect/http` and src/ only.
import { describe, expect, it, layer } from "@effect/vitest"
import { Arbitrary, Cause, Effect, Exit, Layer, Option, Schema } from "effect"
import { HttpClient, type HttpClientRequest, HttpClientResponse, UrlParams } from "effect/http"
import * as MakeApi from "../../src/MakeApi.js"
import { MakeClient } from "../../src/MakeClient.js"
import * as Emulator from "../../src/testing/Emulator.js"
import { type Case, cases, leavesOf, validInput } from "./operations.js"

/** Runs per method: 30 methods × 10 runs, over one emulator. */
const runs = 10

/** Ids of the seed (organization 11, team 21, variable `dailyLimit`), so that a share of the calls meet real records. */
const seeded = (c: Case, input: unknown): unknown => {
  if (typeof input === "number") return c.service === "AdminTeams" ? 21 : 11
  if (typeof input !== "object" || input === null || Array.isArray(input)) return input
  const fields: Record<string, unknown> = { ...input }
  if ("organizationId" in fields) fields.organizationId = 11
  if ("teamId" in fields) fields.teamId = 21
  if (c.service === "Organizations" && "id" in fields) fields.id = 11
  if (c.service === "OrganizationVariables" && typeof fields.name === "string") fields.name = "dailyLimit"
  return fields
}

const inputOf = (c: Case): Arbitrary.Arbitrary<unknown> =>
  Arbitrary.map(
    Arbitrary.all([validInput(c), Arbitrary.schema(Schema.Boolean)]),
    ([input, seed]) => seed ? seeded(c, input) : input
  )

/** A request as the emulator's log writes it: path under the base URL, query under Make's names (values as lists). */
interface Wire {
  readonly method: string
  readonly path: string
  readonly query: Readonly<Record<string, ReadonlyArray<string>>>
  readonly body: unknown
}

const queryOf = (entries: ReadonlyArray<readonly [string, string | ReadonlyArray<string>]>): Wire["query"] => {
  const query: Record<string, Array<string>> = {}
  for (const [name, value] of entries) {
    query[name] = [...(query[name] ?? []), ...(typeof value === "string" ? [value] : value)]
  }
  return query
}

/** The request as the client encoded it, before the transport. */
const encoded = (request: HttpClientRequest.HttpClientRequest): Wire => ({
  method: request.method,
  path: new URL(request.url).pathname.slice(Emulator.basePath.length),
  query: queryOf([...new URLSearchParams(UrlParams.toString(request.urlParams))]),
  body: request.body._tag === "Uint8Array" ? JSON.parse(new TextDecoder().decode(request.body.body)) : undefined
})

const received = (request: Emulator.RecordedRequest): Wire => ({
  method: request.method,
  path: request.path,
  query: queryOf(Object.entries(request.query)),
  body: request.body
})

/** `/organizations/{organizationId}` → a pattern whose groups are the path parameters. */
const routePattern = (path: string) => new RegExp(`^${path.replace(/\{\w+\}/g, "([^/]+)")}$`)

/** Errors a valid call may meet from the seeded emulator; anything else (InvalidInput, UnexpectedResponse, ...) is a bug. */
const answers = new Set(["NotFound", "NotConfirmed", "FeatureUnavailable", "InvalidRequest", "Forbidden"])

const outcome = (exit: Exit.Exit<unknown, { readonly _tag: string }>): string =>
  Exit.match(exit, {
    onSuccess: () => "success",
    onFailure: (cause) =>
      Option.match(Cause.findErrorOption(cause), {
        onNone: () => `defect: ${Cause.pretty(cause)}`,
        onSome: (error) => error._tag
      })
  })

/** What the client sent and was answered during one run (the emulator is built once for the file: it is slow). */
interface Recorder {
  readonly sent: Array<Wire>
  readonly bodies: Array<string>
}

/**
 * The emulator's HttpClient, recording what the client encoded and reading each answer's text for the test, then
 * handing the client an identical fresh response, so the test sees the body however the client reads it.
 */
const recording = (recorder: Recorder) =>
  Layer.effect(HttpClient.HttpClient)(
    Effect.map(HttpClient.HttpClient, (client) =>
      client.pipe(
        HttpClient.tapRequest((request) => Effect.sync(() => recorder.sent.push(encoded(request)))),
        HttpClient.transformResponse(
          Effect.flatMap((response: HttpClientResponse.HttpClientResponse) =>
            Effect.map(
              Effect.tap(response.text, (text) => Effect.sync(() => recorder.bodies.push(text))),
              (text) =>
                HttpClientResponse.fromWeb(
                  response.request,
                  // a 204 has no body at all: `Response` refuses even an empty one
                  new Response(text === "" ? null : text, { status: response.status, headers: response.headers })
                )
            )
          )
        )
      ))
  )

const layerFor = (recorder: Recorder) =>
  MakeApi.layer({ token: Emulator.defaultToken, baseUrl: Emulator.baseUrl }).pipe(
    Layer.orDie,
    Layer.provide(recording(recorder)),
    // organizations created by one property are read by the next (`wait=true` on a 404): no TestClock moves here
    Layer.provideMerge(Emulator.layerTest({ syncDelay: 0 }))
  )

/** 2xx answers round-tripped, per method: the property must not hold only because every call met a 404. */
const roundTrips = new Map<string, number>()

const check = (c: Case, recorder: Recorder, input: unknown) =>
  Effect.gen(function*() {
    recorder.sent.length = 0
    recorder.bodies.length = 0
    const emulator = yield* Emulator.Emulator
    yield* emulator.clearRequests
    const client = yield* MakeClient
    const result = outcome(yield* Effect.exit(c.method.make(client, c.service, c.name).unknown(input)))
    expect(result === "success" || answers.has(result), `${c.label}(${JSON.stringify(input)}) → ${result}`).toBe(true)

    const log = yield* Emulator.requests
    // exactly what the client encoded, nothing more, nothing less (a method may look twice, e.g. a 404's cause)
    expect(log.map(received)).toEqual(recorder.sent)
    const [first] = log
    expect(first).toBeDefined()
    if (first === undefined) return
    expect(first.method).toBe(c.endpoint.method)
    expect(first.path).toMatch(routePattern(c.path))
    const carried = new Set([
      ...first.path.split("/").map(decodeURIComponent),
      ...Object.values(first.query).flatMap(leavesOf),
      ...leavesOf(first.body)
    ])
    expect(leavesOf(input).filter((leaf) => !carried.has(leaf))).toEqual([])

    // a 2xx body decodes with the endpoint's schema, and encoding the value then decoding it gives it back
    const [body] = recorder.bodies
    if (first.status >= 200 && first.status < 300 && Option.isSome(c.success) && body !== undefined) {
      const { schema, text } = c.success.value
      const decoded = yield* Schema.decodeUnknownEffect(schema)(
        text ? body : body === "" ? undefined : JSON.parse(body)
      )
      expect(yield* Schema.decodeUnknownEffect(schema)(yield* Schema.encodeEffect(schema)(decoded))).toEqual(decoded)
      roundTrips.set(c.label, (roundTrips.get(c.label) ?? 0) + 1)
    }
  })

/**
 * One emulator serves every property, so the deleting methods go last (the organization's own delete at the very
 * end): until then the seed's records stay for the others to meet.
 */
const destructiveness = (c: Case) => c.endpoint.method !== "DELETE" ? 0 : c.service === "Organizations" ? 2 : 1
const ordered = [...cases].sort((a, b) => destructiveness(a) - destructiveness(b))

const recorder: Recorder = { sent: [], bodies: [] }

describe("properties: every method's requests", () => {
  it("covers the 30 methods of the tables", () => expect(cases).toHaveLength(30))

  layer(layerFor(recorder))((it) => {
    for (const c of ordered) {
      it.effect.prop(
        `${c.label}: ${c.endpoint.route} carries every argument, exactly as encoded`,
        [inputOf(c)],
        ([input]) => check(c, recorder, input),
        { timeout: 30_000, arbitrary: { runs } }
      )
    }
  })

  it("round-tripped 2xx answers of most methods", () => {
    console.log(
      `requests property: ${cases.length} methods × ${runs} runs; 2xx round-trips`,
      Object.fromEntries(roundTrips)
    )
    expect(roundTrips.size).toBeGreaterThanOrEqual(20)
  })
})
