// Property: for every operation of every service (read from the tables) and any valid input (an arbitrary of its input
// schema, ids half the time those of the seed so answers are not all 404s), the emulator receives exactly the request
// the client encoded, on the endpoint's route, carrying every argument; a 2xx answer round-trips through its schema.
// Ported from the Effect 3 line; imports `effect`, `effect/http`, src/ and ./operations.
import { describe, expect, it, layer } from "@effect/vitest"
import { Arbitrary, Cause, Effect, Exit, Layer, Option, Schema } from "effect"
import { HttpClient, type HttpClientRequest, HttpClientResponse } from "effect/http"
import { HttpApi } from "effect/http-api"
import * as Envelope from "../../src/api/Envelope.js"
import { MakeHttpApi } from "../../src/api/MakeHttpApi.js"
import { endpoints } from "../../src/internal/endpoints.js"
import * as MakeApi from "../../src/MakeApi.js"
import { MakeClient } from "../../src/MakeClient.js"
import * as Emulator from "../../src/testing/Emulator.js"
import { type Case, cases, leavesOf, oneOf, validInput } from "./operations.js"

/** Runs per operation: 30 operations × 10 runs, over one emulator. */
const runs = 10

/** What the contract says of one endpoint: its method, its path with `{param}` placeholders, its 2xx schemas. */
interface Endpoint {
  readonly method: string
  readonly path: string
  readonly successes: ReadonlyMap<number, ReadonlyArray<Schema.Top>>
}

const successes = new Map<string, ReadonlyMap<number, ReadonlyArray<Schema.Top>>>()
HttpApi.reflect(MakeHttpApi, {
  onGroup: () => {},
  onEndpoint: ({ endpoint, group, successes: byStatus }) => {
    successes.set(`${group.identifier}.${endpoint.identifier}`, byStatus)
  }
})

const endpointOf = (c: Case): Endpoint => {
  const key = `${c.operation.group}.${c.operation.endpoint}`
  const compiled = endpoints.get(key)
  if (compiled === undefined) throw new Error(`no contract endpoint for ${key}`)
  // the route is written `GET /organizations/{organizationId}`
  return {
    method: compiled.method,
    path: compiled.route.slice(compiled.route.indexOf(" ") + 1),
    successes: successes.get(key) ?? new Map()
  }
}

/** Whether a 2xx schema reads the text as it is (`AnyBody`: a void call takes any body) rather than parsed JSON. */
const isText = (schema: Schema.Top): boolean =>
  [Envelope.AnyBody, Envelope.AnyBodyNoContent].some((text) =>
    text.ast === schema.ast || Schema.toCodecJson(text).ast === schema.ast
  )

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

const anyInput = (c: Case): Arbitrary.Arbitrary<unknown> =>
  Arbitrary.all([validInput(c), oneOf([true, false])]).pipe(
    Arbitrary.map(([input, seed]) => seed ? seeded(c, input) : input)
  )

/** A request as the emulator's log writes it: path under the base URL, query under Make's names (values as lists). */
interface Wire {
  readonly method: string
  readonly path: string
  readonly query: Readonly<Record<string, ReadonlyArray<string>>>
  readonly body: unknown
}

const queryOf = (entries: Iterable<readonly [string, unknown]>): Wire["query"] => {
  const query: Record<string, Array<string>> = {}
  for (const [name, value] of entries) {
    const values = Array.isArray(value) ? value.map(String) : [String(value)]
    query[name] = [...(query[name] ?? []), ...values]
  }
  return query
}

const bodyOf = (request: HttpClientRequest.HttpClientRequest): unknown => {
  const body = request.body
  if (body._tag === "Uint8Array") return JSON.parse(new TextDecoder().decode(body.body))
  if (body._tag === "Raw" && typeof body.body === "string") return JSON.parse(body.body)
  return undefined
}

/** The request as the client encoded it, before the transport. */
const encoded = (request: HttpClientRequest.HttpClientRequest): Wire => ({
  method: request.method,
  path: new URL(request.url).pathname.slice(Emulator.basePath.length),
  query: queryOf(request.urlParams.params),
  body: bodyOf(request)
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

/** What the client sent and was answered during one run (the emulator is built once for the file). */
interface Recorder {
  readonly sent: Array<Wire>
  readonly bodies: Array<string>
}

/**
 * Reads the answer's text for the test and hands the client an identical fresh response, so the test sees the body
 * however the client reads it (text, stream, capped).
 */
const recording = (recorder: Recorder) => (client: HttpClient.HttpClient): HttpClient.HttpClient =>
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
              new Response(text === "" ? null : text, {
                status: response.status,
                headers: Object.entries(response.headers).filter((entry): entry is [string, string] =>
                  typeof entry[1] === "string"
                )
              })
            )
        )
      )
    )
  )

// Effect 3's `MakeTest.layer({ transformClient })`: the Effect 4 line's MakeTest has no such option, so the client is
// built here over the emulator's HttpClient, transformed.
const layerFor = (recorder: Recorder) =>
  MakeApi.layer({ token: Emulator.defaultToken, baseUrl: Emulator.baseUrl }).pipe(
    Layer.orDie,
    Layer.provide(Layer.effect(HttpClient.HttpClient)(Effect.map(HttpClient.HttpClient, recording(recorder)))),
    // organizations created by one property are read by the next (`wait=true` on a 404): no TestClock moves here
    Layer.provideMerge(Emulator.layerTest({ syncDelay: 0 }))
  )

/** 2xx answers round-tripped, per operation: the property must not hold only because every call met a 404. */
const roundTrips = new Map<string, number>()

const check = (c: Case, endpoint: Endpoint, recorder: Recorder, input: unknown) =>
  Effect.gen(function*() {
    recorder.sent.length = 0
    recorder.bodies.length = 0
    const emulator = yield* Emulator.Emulator
    yield* emulator.clearRequests
    const client = yield* MakeClient
    const result = outcome(yield* Effect.exit(c.operation.make(client, c.service, c.method).unknown(input)))
    expect(result === "success" || answers.has(result), `${c.label}(${JSON.stringify(input)}) → ${result}`).toBe(true)

    const log = yield* Emulator.requests
    // exactly what the client encoded, nothing more, nothing less (a method may look twice, e.g. a 404's cause)
    expect(log.map(received)).toEqual(recorder.sent)
    const [first] = log
    expect(first).toBeDefined()
    if (first === undefined) return
    expect(first.method).toBe(endpoint.method)
    expect(first.path).toMatch(routePattern(endpoint.path))
    const carried = new Set([
      ...first.path.split("/").map(decodeURIComponent),
      ...Object.values(first.query).flatMap(leavesOf),
      ...leavesOf(first.body)
    ])
    expect(leavesOf(input).filter((leaf) => !carried.has(leaf))).toEqual([])

    // a 2xx body decodes with the endpoint's schema, and encoding the value then decoding it gives it back
    const [body] = recorder.bodies
    const [schema] = endpoint.successes.get(first.status) ?? []
    if (first.status >= 200 && first.status < 300 && schema !== undefined && body !== undefined && body !== "") {
      // the contract's schemas need no service: the same AST as a codec that says so
      const codec = Schema.toCodecJson(Schema.make<Schema.Codec<unknown, unknown>>(schema.ast))
      const decoded = yield* Schema.decodeUnknownEffect(codec)(isText(schema) ? body : JSON.parse(body))
      expect(yield* Schema.decodeUnknownEffect(codec)(yield* Schema.encodeEffect(codec)(decoded))).toEqual(decoded)
      roundTrips.set(c.label, (roundTrips.get(c.label) ?? 0) + 1)
    }
  })

/**
 * One emulator serves every property, so the deleting operations go last (the organization's own delete at the very
 * end): until then the seed's records stay for the others to meet.
 */
const destructiveness = (c: Case) => endpointOf(c).method !== "DELETE" ? 0 : c.service === "Organizations" ? 2 : 1
const ordered = [...cases].sort((a, b) => destructiveness(a) - destructiveness(b))

const recorder: Recorder = { sent: [], bodies: [] }

describe("properties: every operation's requests", () => {
  it("covers the 30 operations of the tables", () => expect(cases).toHaveLength(30))

  layer(layerFor(recorder))((it) => {
    for (const c of ordered) {
      const endpoint = endpointOf(c)
      it.effect.prop(
        `${c.label}: ${endpoint.method} ${endpoint.path} carries every argument, exactly as encoded`,
        [anyInput(c)],
        ([input]) => check(c, endpoint, recorder, input),
        { timeout: 30_000, arbitrary: { runs } }
      )
    }
  })

  it("round-tripped 2xx answers of most operations", () => {
    expect(roundTrips.size, JSON.stringify(Object.fromEntries(roundTrips))).toBeGreaterThanOrEqual(20)
  })
})
