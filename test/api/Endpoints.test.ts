// The compiled endpoints (src/internal/endpoints.ts) against Effect 4's stock `HttpApiClient` over the same contract:
// for every one of the 30 endpoints and arbitrary valid inputs, the same request (method, URL with query, JSON body)
// and, from the same 2xx answer, the same decoded value; and a contract the module does not implement is refused when
// it is compiled, naming the endpoint. Imports `effect`, `effect/http`, `effect/http-api`, node:fs, node:path, src/
// and the real fixtures.
import { describe, expect, it } from "@effect/vitest"
import { Arbitrary, Effect, Option, Result, Schema, SchemaTransformation } from "effect"
import { HttpClient, type HttpClientRequest, HttpClientResponse, UrlParams } from "effect/http"
import { HttpApi, HttpApiClient, HttpApiEndpoint, HttpApiGroup, HttpApiSchema } from "effect/http-api"
import type { HttpApiGroup as Group } from "effect/http-api"
import { readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { MakeHttpApi } from "../../src/api/MakeHttpApi.js"
import { UpdateVariable } from "../../src/domain/OrganizationVariable.js"
import * as Endpoints from "../../src/internal/endpoints.js"
import { maxDepth } from "../../src/internal/valueLimits.js"

const baseUrl = "https://eu1.make.com/api/v2"

/** Runs per endpoint: 30 endpoints × 25 runs for requests, as many for answers. */
const runs = 25

/** What the contract declares of one endpoint, read by reflection as both clients read it. */
interface Declared {
  readonly key: string
  readonly endpoint: HttpApiEndpoint.Top
  readonly group: Group.Top
  /** The first success status and its schema. */
  readonly status: number
  /** Every success status the endpoint declares. */
  readonly statuses: ReadonlyArray<number>
  readonly success: Schema.Top
}

const declared: ReadonlyArray<Declared> = (() => {
  const found: Array<Declared> = []
  HttpApi.reflect(MakeHttpApi, {
    onGroup: () => {},
    onEndpoint: ({ endpoint, group, successes }) => {
      const [first] = successes
      if (first === undefined) throw new Error(`${group.identifier}.${endpoint.identifier} declares no success`)
      found.push({
        key: `${group.identifier}.${endpoint.identifier}`,
        endpoint,
        group,
        status: first[0],
        statuses: [...successes.keys()],
        success: first[1][0]
      })
    }
  })
  return found
})()

// ---------------------------------------------------------------------------
// Values
// ---------------------------------------------------------------------------

/** A lone surrogate: Effect 4's string arbitrary draws them, and the client refuses them (InvalidInput) by design. */
const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/

const isRecord = (u: unknown): u is Readonly<Record<string, unknown>> =>
  typeof u === "object" && u !== null && !Array.isArray(u)

/** Whether every string in a value is well-formed UTF-16 (what travels in a URL or a JSON body as is). */
const wellFormed = (value: unknown): boolean =>
  typeof value === "string"
    ? !loneSurrogate.test(value)
    : Array.isArray(value)
    ? value.every(wellFormed)
    : isRecord(value)
    ? Object.values(value).every(wellFormed)
    : true

/** A place in a JSON value: `[]` is the whole value. */
type Path = ReadonlyArray<string | number>

/** Every place in a JSON value, the value itself first. */
const pathsOf = (value: unknown, at: Path = []): ReadonlyArray<Path> =>
  Array.isArray(value)
    ? [at, ...value.flatMap((item: unknown, i) => pathsOf(item, [...at, i]))]
    : isRecord(value)
    ? [at, ...Object.entries(value).flatMap(([key, field]) => pathsOf(field, [...at, key]))]
    : [at]

/** The value with the one at `path` replaced (`undefined`: removed, once it goes through JSON). */
const replaceAt = (value: unknown, path: Path, by: unknown): unknown => {
  if (path.length === 0) return by
  const [key, ...rest] = path
  if (Array.isArray(value)) return value.map((item: unknown, i) => i === key ? replaceAt(item, rest, by) : item)
  if (isRecord(value) && typeof key === "string") return { ...value, [key]: replaceAt(value[key], rest, by) }
  return value
}

/** Every endpoint of the contract, as one union of types. */
type Groups = typeof MakeHttpApi extends HttpApi.HttpApi<string, infer G> ? G : never
type AnyEndpoint = Groups extends { readonly endpoints: infer E } ? E[keyof E] : never

/** The services any of the contract's schemas needs to encode or decode: none. */
type Services = AnyEndpoint extends infer E extends HttpApiEndpoint.ConstraintRequest ?
    | E["~Params"]["EncodingServices"]
    | E["~Query"]["EncodingServices"]
    | E["~Payload"]["EncodingServices"]
    | E["~Success"]["DecodingServices"]
    | E["~Success"]["EncodingServices"]
    | E["~Error"]["DecodingServices"]
  : never
const needsNoServices: [Services] extends [never] ? true : false = true

/**
 * A schema of the contract as the codec it is: reflection hands it over as `Schema.Top` (services `unknown`), and
 * `needsNoServices` checks that the contract's need none, as src/internal/endpoints.ts restates.
 */
const codec = (schema: Schema.Top): Schema.Codec<unknown, unknown> =>
  schema as unknown as Schema.Codec<unknown, unknown>

/** A request as it goes out: method, absolute URL with its query, JSON body (parsed) or none. */
interface Wire {
  readonly method: string
  readonly url: string
  readonly body: unknown
}

const bodyText = (request: HttpClientRequest.HttpClientRequest): string | undefined =>
  request.body._tag === "Uint8Array" ? new TextDecoder().decode(request.body.body) : undefined

const wireOf = (request: HttpClientRequest.HttpClientRequest, prefix: string): Wire => {
  const query = UrlParams.toString(request.urlParams)
  const text = bodyText(request)
  return {
    method: request.method,
    url: `${prefix}${request.url}${query === "" ? "" : `?${query}`}`,
    body: text === undefined ? undefined : JSON.parse(text)
  }
}

/**
 * Payloads whose schema's own arbitrary cannot draw them: `UpdateVariableBody` is a struct of two optional fields
 * under filters (one of them present; the value of the type `typeId` says), which its arbitrary, drawing both absent
 * at the smallest size, discards to exhaustion. The body this client sends is `UpdateVariable` encoded: draw that.
 */
const payloadOverrides: Readonly<Record<string, Arbitrary.Arbitrary<unknown>>> = {
  "organizationVariables.update": Arbitrary.map(
    Arbitrary.schema(Schema.toType(UpdateVariable)),
    Schema.encodeSync(UpdateVariable)
  )
}

/** The parts of a call, as the contract's types hold them (valid by construction; strings well-formed). */
const requestArbitrary = (d: Declared): Arbitrary.Arbitrary<Endpoints.RawRequest> => {
  const payload = [...d.endpoint.payload.values()][0]?.schemas[0]
  const parts: Record<string, Arbitrary.Arbitrary<unknown>> = {}
  if (d.endpoint.params !== undefined) parts.params = Arbitrary.schema(Schema.toType(d.endpoint.params))
  if (d.endpoint.query !== undefined) parts.query = Arbitrary.schema(Schema.toType(d.endpoint.query))
  if (payload !== undefined) parts.payload = payloadOverrides[d.key] ?? Arbitrary.schema(Schema.toType(payload))
  return Arbitrary.filter(Arbitrary.all(parts), wellFormed)
}

const isText = (d: Declared) => HttpApiSchema.getResponseEncodingSchema(d.success)._tag === "Text"

/** A 2xx answer's body as Make would send it: the JSON of any value of the success schema, or any text. */
const answerArbitrary = (d: Declared): Arbitrary.Arbitrary<string> =>
  isText(d)
    ? Arbitrary.filter(Arbitrary.schema(Schema.String), wellFormed)
    : Arbitrary.map(
      // a value the type admits but JSON cannot carry (a non-finite count) is not an answer Make can send
      Arbitrary.filter(
        Arbitrary.map(
          Arbitrary.filter(Arbitrary.schema(Schema.toType(d.success)), wellFormed),
          Schema.encodeUnknownResult(codec(Schema.toCodecJson(d.success)))
        ),
        Result.isSuccess
      ),
      (encoded) => JSON.stringify(encoded.success)
    )

/** One of `values` (never empty), drawn by index. */
const oneOf = <A>(values: readonly [A, ...Array<A>]): Arbitrary.Arbitrary<A> =>
  Arbitrary.map(
    Arbitrary.schema(Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: values.length - 1 }))),
    (i) => values[i] ?? values[0]
  )

/**
 * An answer the contract may or may not allow: a valid JSON answer with one place (the whole body included) replaced
 * by any JSON value, or removed. A text endpoint's answer is any text already.
 */
const alteredAnswer = (d: Declared): Arbitrary.Arbitrary<string> =>
  isText(d) ? answerArbitrary(d) : Arbitrary.flatMap(answerArbitrary(d), (text) => {
    const valid: unknown = JSON.parse(text)
    const [, ...places] = pathsOf(valid)
    return Arbitrary.map(
      Arbitrary.all([
        oneOf([[], ...places]),
        Arbitrary.filter(Arbitrary.schema(Schema.Json), wellFormed),
        Arbitrary.schema(Schema.Boolean)
      ]),
      ([place, by, remove]) =>
        JSON.stringify(replaceAt(valid, place, remove && place.length > 0 ? undefined : by)) ?? ""
    )
  })

/**
 * The stock client's function for one endpoint over an HttpClient that records what it is sent and answers `status`
 * with `body`. `makeClient` hands each endpoint's function over untyped (`Function`): what it returns is checked to be
 * an Effect before it runs.
 */
const stock = (d: Declared, status: number, body: string | null) =>
  Effect.gen(function*() {
    const sent: Array<Wire> = []
    const http = HttpClient.make((request) =>
      Effect.sync(() => {
        sent.push(wireOf(request, ""))
        return HttpClientResponse.fromWeb(
          request,
          new Response(body, { status, headers: { "content-type": isText(d) ? "text/plain" : "application/json" } })
        )
      })
    )
    const client = yield* HttpApiClient.make(MakeHttpApi, { baseUrl }).pipe(
      Effect.provideService(HttpClient.HttpClient, http)
    )
    const call: unknown = Reflect.get(Reflect.get(client, d.group.identifier) ?? {}, d.endpoint.identifier)
    const run = (request: Endpoints.RawRequest): Effect.Effect<unknown, unknown> => {
      const effect: unknown = typeof call === "function" ? call(request) : undefined
      // The stock client's functions need no services once made (the contract's schemas need none: checked below,
      // by type); reflection hands them over untyped, so that fact is restated here for the compiler.
      return Effect.isEffect(effect)
        ? effect as Effect.Effect<unknown, unknown>
        : Effect.die(`no stock function for ${d.key}`)
    }
    return { run, sent }
  })

const compiled = (d: Declared): Endpoints.Endpoint => {
  const found = Endpoints.endpoints.get(d.key)
  if (found === undefined) throw new Error(`no compiled endpoint ${d.key}`)
  return found
}

/** What our endpoint sends for a request, with the base URL the client prepends. */
const ours = (d: Declared, request: Endpoints.RawRequest): Wire => {
  const built = compiled(d).request(request)
  if (Result.isFailure(built)) throw new Error(`${d.key} refused a valid request: ${built.failure.message}`)
  return wireOf(built.success, baseUrl)
}

/** Answers both clients decoded, per endpoint: the comparison must not hold only because every answer was refused. */
const decoded = new Map<string, number>()

describe("the compiled endpoints against HttpApiClient", () => {
  it("compiles the contract's 30 endpoints, the ones the stock client derives", () => {
    expect(needsNoServices).toBe(true)
    expect(declared).toHaveLength(30)
    expect([...Endpoints.endpoints.keys()].sort()).toEqual(declared.map((d) => d.key).sort())
  })

  for (const d of declared) {
    it.effect.prop(
      `${d.key}: the same request (method, URL with query, JSON body) for any valid input`,
      [requestArbitrary(d)],
      ([request]) =>
        Effect.gen(function*() {
          // the stock client fails to decode the empty answer of a JSON endpoint: only what it sent matters here
          const client = yield* stock(d, d.status, isText(d) ? "" : "{}")
          yield* Effect.ignore(client.run(request))
          expect(client.sent).toEqual([ours(d, request)])
        }),
      { timeout: 60_000, arbitrary: { runs } }
    )

    it.effect.prop(
      `${d.key}: the same value decoded from any ${d.status} answer the contract allows`,
      [answerArbitrary(d), requestArbitrary(d)],
      ([body, request]) =>
        Effect.gen(function*() {
          const client = yield* stock(d, d.status, body)
          const theirs = yield* Effect.result(client.run(request))
          const built = compiled(d).request(request)
          if (Result.isFailure(built)) return yield* Effect.die(built.failure)
          const response = HttpClientResponse.fromWeb(
            built.success,
            new Response(body, { status: d.status, headers: { "content-type": "application/json" } })
          )
          const mine = yield* Effect.result(compiled(d).decode(response))
          // A value of the success type the contract's own decoder refuses (a history entry with an empty diff) is
          // refused by both: ours as UnexpectedResponse, the stock client as a SchemaError.
          if (Result.isSuccess(theirs)) {
            decoded.set(d.key, (decoded.get(d.key) ?? 0) + 1)
            expect(mine).toEqual(theirs)
          } else {
            expect(Result.isFailure(theirs) && Schema.isSchemaError(theirs.failure), String(theirs)).toBe(true)
            expect(Result.isFailure(mine) && mine.failure._tag).toBe("UnexpectedResponse")
          }
        }),
      { timeout: 60_000, arbitrary: { runs } }
    )

    it.effect.prop(
      `${d.key}: any altered answer is decoded by both to the same value, or refused by both`,
      [alteredAnswer(d), requestArbitrary(d)],
      ([body, request]) =>
        Effect.gen(function*() {
          const client = yield* stock(d, d.status, body)
          const theirs = yield* Effect.result(client.run(request))
          const built = compiled(d).request(request)
          if (Result.isFailure(built)) return yield* Effect.die(built.failure)
          const response = HttpClientResponse.fromWeb(
            built.success,
            new Response(body, { status: d.status, headers: { "content-type": "application/json" } })
          )
          const mine = yield* Effect.result(compiled(d).decode(response))
          if (Result.isSuccess(theirs)) expect(mine).toEqual(theirs)
          else expect(Result.isFailure(mine) && mine.failure._tag, body.slice(0, 300)).toBe("UnexpectedResponse")
        }),
      { timeout: 60_000, arbitrary: { runs: runs * 2 } }
    )
  }
})

/** The real answers recorded from Make (fixtures/make-api), as text. */
const fixturesRoot = join(import.meta.dirname, "../../fixtures/make-api")
const fixtures: ReadonlyArray<readonly [string, string]> = readdirSync(fixturesRoot, {
  recursive: true,
  encoding: "utf8"
})
  .filter((file) => file.endsWith(".json"))
  .sort()
  .map((file) => [file, readFileSync(join(fixturesRoot, file), "utf8")] as const)

describe("the real fixtures", () => {
  it.effect("every fixture answered to every endpoint decodes alike, or is refused by both", () =>
    Effect.gen(function*() {
      expect(fixtures.length).toBeGreaterThanOrEqual(10)
      let alike = 0
      for (const d of declared) {
        const request = Effect.runSync(Arbitrary.sampleEffect(requestArbitrary(d), { count: 1, seed: 11 }))[0] ?? {}
        const built = compiled(d).request(request)
        if (Result.isFailure(built)) return yield* Effect.die(built.failure)
        for (const [file, body] of fixtures) {
          const client = yield* stock(d, d.status, body)
          const theirs = yield* Effect.result(client.run(request))
          const response = HttpClientResponse.fromWeb(
            built.success,
            new Response(body, { status: d.status, headers: { "content-type": "application/json" } })
          )
          const mine = yield* Effect.result(compiled(d).decode(response))
          if (Result.isSuccess(theirs)) {
            alike++
            expect([d.key, file, mine]).toEqual([d.key, file, theirs])
          } else {expect([d.key, file, Result.isFailure(mine) && mine.failure._tag]).toEqual([
              d.key,
              file,
              "UnexpectedResponse"
            ])}
        }
      }
      // the organizations' and teams' fixtures are answers of their endpoints (and the void calls take any body)
      expect(alike).toBeGreaterThanOrEqual(10)
    }))
})

describe("every declared success status", () => {
  for (const d of declared.filter((d) => d.statuses.length > 1)) {
    it.effect(`${d.key}: ${d.statuses.join(", ")} without a body decode alike; an undeclared 202 is refused`, () =>
      Effect.gen(function*() {
        const request = Effect.runSync(Arbitrary.sampleEffect(requestArbitrary(d), { count: 1, seed: 7 }))[0] ?? {}
        const built = compiled(d).request(request)
        if (Result.isFailure(built)) return yield* Effect.die(built.failure)
        const answer = (status: number) => HttpClientResponse.fromWeb(built.success, new Response(null, { status }))
        for (const status of d.statuses) {
          const client = yield* stock(d, status, null)
          const theirs = yield* Effect.result(client.run(request))
          const mine = yield* Effect.result(compiled(d).decode(answer(status)))
          expect([status, mine]).toEqual([status, theirs])
        }
        // a status the contract does not declare is not the value it describes (a job accepted, a proxy's page)
        const accepted = yield* Effect.result(compiled(d).decode(answer(202)))
        expect(Result.isFailure(accepted) && accepted.failure).toMatchObject({
          _tag: "UnexpectedResponse",
          status: 202
        })
      }))
  }
})

describe("coverage of the comparison", () => {
  it("every endpoint decoded most of its answers on both sides", () => {
    expect(decoded.size).toBe(30)
    for (const [key, count] of decoded) expect(count, key).toBeGreaterThanOrEqual(runs / 2)
  })
})

describe("what the endpoints module does not implement", () => {
  it("refuses a request headers schema, naming the endpoint", () => {
    const withHeaders = HttpApiEndpoint.get("list", "/things", {
      headers: Schema.Struct({ "x-trace": Schema.String }),
      success: Schema.Struct({ things: Schema.Array(Schema.String) })
    })
    expect(() => Endpoints.compile(HttpApi.make("test").add(HttpApiGroup.make("things").add(withHeaders)))).toThrow(
      "effect-make: things.list declares request headers, which the client does not implement"
    )
  })

  it("refuses a multipart payload, naming the endpoint", () => {
    const upload = HttpApiEndpoint.post("upload", "/things", {
      payload: Schema.Struct({ name: Schema.String }).pipe(HttpApiSchema.asMultipart()),
      success: Schema.Struct({ id: Schema.Number })
    })
    expect(() => Endpoints.compile(HttpApi.make("test").add(HttpApiGroup.make("things").add(upload)))).toThrow(
      "effect-make: things.upload declares a Multipart payload, which the client does not implement"
    )
  })

  it("compiles the same endpoint without them", () => {
    const plain = HttpApiEndpoint.post("upload", "/things", {
      payload: Schema.Struct({ name: Schema.String }),
      success: Schema.Struct({ id: Schema.Number })
    })
    expect(
      Option.fromNullishOr(
        Endpoints.compile(HttpApi.make("test").add(HttpApiGroup.make("things").add(plain))).get("things.upload")
      ).pipe(Option.isSome)
    ).toBe(true)
  })
})

// ---------------------------------------------------------------------------
// The compiled decoder's limits (Effect 3's Decoder property held them for its hand decoder; Effect 4's compiled
// endpoint keeps them in front of Schema's parser)
// ---------------------------------------------------------------------------

describe("the compiled decoder's limits", () => {
  /** One endpoint answering `success`, compiled as the client compiles the contract. */
  const answering = (success: Schema.Top) => {
    const compiled = Endpoints.compile(
      HttpApi.make("test").add(HttpApiGroup.make("things").add(HttpApiEndpoint.get("get", "/thing", { success })))
    ).get("things.get")
    if (compiled === undefined) throw new Error("no things.get")
    const request = compiled.request({})
    if (Result.isFailure(request)) throw new Error("things.get refused its request")
    return (body: string) =>
      Effect.result(compiled.decode(HttpClientResponse.fromWeb(
        request.success,
        new Response(body, { status: 200, headers: { "content-type": "application/json" } })
      )))
  }

  /** A value `depth` levels deep, arrays and objects by turns. */
  const nested = (depth: number): unknown => {
    let value: unknown = 1
    for (let i = 0; i < depth; i++) value = i % 2 === 0 ? [value] : { a: value }
    return value
  }

  it.effect("a `__proto__` key in an answer's record stays data: no prototype is set", () =>
    Effect.gen(function*() {
      const User = Schema.Struct({ id: Schema.Number, features: Schema.Record(Schema.String, Schema.Unknown) })
      const body = `{"id":0,"features":{"__proto__":[]}}`
      const decoded = yield* answering(User)(body)
      expect(decoded).toEqual(Result.succeed(Schema.decodeUnknownSync(User)(JSON.parse(body))))
      if (Result.isSuccess(decoded)) {
        expect(Object.getPrototypeOf(Reflect.get(Object(decoded.success), "features"))).toBe(Object.prototype)
      }
    }))

  it.effect.prop(
    `a body nested past ${maxDepth} levels is refused naming the limit, one within it is read`,
    [Schema.Int.check(Schema.isBetween({ minimum: maxDepth - 4, maximum: maxDepth + 4 }))],
    ([depth]) =>
      Effect.gen(function*() {
        const value = nested(depth - 1)
        const result = yield* answering(Schema.Struct({ value: Schema.Unknown }))(JSON.stringify({ value }))
        if (depth <= maxDepth) expect(result).toEqual(Result.succeed({ value }))
        else {
          expect(Result.isFailure(result) && result.failure).toMatchObject({
            _tag: "UnexpectedResponse",
            reason: `the body is nested more than ${maxDepth} levels deep`
          })
        }
      })
  )

  it.effect("a union keyed by a literal, given an array nested 4,000 deep as its key: a failure, not a RangeError", () =>
    Effect.gen(function*() {
      const Variable = Schema.Union([
        Schema.Struct({ typeId: Schema.Literal(1), value: Schema.Number }),
        Schema.Struct({ typeId: Schema.Literal(2), value: Schema.String })
      ])
      const result = yield* answering(Variable)(JSON.stringify({ typeId: nested(4_000), value: 1 }))
      expect(Result.isFailure(result) && result.failure._tag).toBe("UnexpectedResponse")
    }))

  it.effect("a RangeError thrown while decoding is a failure naming it, never a throw", () =>
    Effect.gen(function*() {
      const Overflowing = Schema.String.pipe(Schema.decodeTo(
        Schema.String,
        SchemaTransformation.transform({
          decode: (): string => {
            throw new RangeError("Maximum call stack size exceeded")
          },
          encode: (s: string) => s
        })
      ))
      const result = yield* answering(Schema.Struct({ value: Overflowing }))(JSON.stringify({ value: "x" }))
      expect(Result.isFailure(result) && result.failure._tag).toBe("UnexpectedResponse")
      expect(Result.isFailure(result) && result.failure.excerpt).toContain(
        "RangeError: Maximum call stack size exceeded"
      )
    }))
})
