// The fast decode path (src/internal/fastDecoder.ts) against Schema's own parser: whenever it answers a value, Schema
// answers the same value for the same input, on every endpoint's success schema and every domain schema, for encoded
// values and for values altered in one place; and it is the path the real fixtures take. Imports `effect`,
// `effect/http-api`, node:fs, node:path, src/ and the real fixtures.
import { describe, expect, it } from "@effect/vitest"
import { Arbitrary, Effect, Result, Schema, SchemaGetter, SchemaTransformation } from "effect"
import { HttpApi, HttpApiSchema } from "effect/http-api"
import { readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { MakeHttpApi } from "../../src/api/MakeHttpApi.js"
import * as Billing from "../../src/domain/Billing.js"
import * as Common from "../../src/domain/Common.js"
import * as Enums from "../../src/domain/Enums.js"
import * as ErrorBody from "../../src/domain/ErrorBody.js"
import * as FeatureControl from "../../src/domain/FeatureControl.js"
import * as Invitation from "../../src/domain/Invitation.js"
import * as Organization from "../../src/domain/Organization.js"
import * as OrganizationVariable from "../../src/domain/OrganizationVariable.js"
import * as Resource from "../../src/domain/Resource.js"
import * as Team from "../../src/domain/Team.js"
import * as Usage from "../../src/domain/Usage.js"
import * as FastDecoder from "../../src/internal/fastDecoder.js"

/** A schema as the codec it is (reflection and module namespaces hand schemas over as `Schema.Top`). */
const codec = (schema: Schema.Top): Schema.Codec<unknown, unknown> =>
  schema as unknown as Schema.Codec<unknown, unknown>

/**
 * The decoder the client runs: the fast path (generated code, and the closures alone, as where code from text is
 * refused), and Schema's parser on the same JSON codec.
 */
const both = (schema: Schema.Top) => {
  const json = codec(Schema.toCodecJson(schema))
  return {
    fast: FastDecoder.compile(json.ast),
    closures: FastDecoder.compile(json.ast, { generate: false }),
    schema: Schema.decodeUnknownResult(json)
  }
}

/**
 * The check itself: a value from the fast path is Schema's value; `undefined` promises nothing. Both forms of the
 * fast path answer alike. Whether it answered a value.
 */
const agrees = (decoders: ReturnType<typeof both>, input: unknown): boolean => {
  const fast = decoders.fast(input)
  expect(decoders.closures(input)).toStrictEqual(fast)
  if (fast === undefined) return false
  const theirs = decoders.schema(input)
  expect(Result.isSuccess(theirs) ? { value: theirs.success } : theirs).toStrictEqual(fast)
  return true
}

const isRecord = (u: unknown): u is Readonly<Record<string, unknown>> =>
  typeof u === "object" && u !== null && !Array.isArray(u)

/** A place in a JSON value: `[]` is the whole value. */
type Path = ReadonlyArray<string | number>

const pathsOf = (value: unknown, at: Path = []): ReadonlyArray<Path> =>
  Array.isArray(value)
    ? [at, ...value.flatMap((item: unknown, i) => pathsOf(item, [...at, i]))]
    : isRecord(value)
    ? [at, ...Object.entries(value).flatMap(([key, field]) => pathsOf(field, [...at, key]))]
    : [at]

/** A key removed where it is a key (`removed`), the value replaced anywhere else. */
const removed = Symbol("removed")

const replaceAt = (value: unknown, path: Path, by: unknown): unknown => {
  if (path.length === 0) return by === removed ? undefined : by
  const [key, ...rest] = path
  if (Array.isArray(value)) return value.map((item: unknown, i) => i === key ? replaceAt(item, rest, by) : item)
  if (isRecord(value) && typeof key === "string") {
    if (rest.length === 0 && by === removed) return Object.fromEntries(Object.entries(value).filter(([k]) => k !== key))
    return { ...value, [key]: replaceAt(value[key], rest, by) }
  }
  return value
}

/**
 * Values of a schema's type, by its own arbitrary, except where it cannot draw them: `UpdateVariableBody` (two
 * optional fields under filters, discarded to exhaustion at the smallest size) is `UpdateVariable` encoded.
 */
const typeArbitrary = (schema: Schema.Top): Arbitrary.Arbitrary<unknown> =>
  schema === OrganizationVariable.UpdateVariableBody
    ? Arbitrary.map(
      Arbitrary.schema(Schema.toType(OrganizationVariable.UpdateVariable)),
      Schema.encodeSync(OrganizationVariable.UpdateVariable)
    )
    : Arbitrary.schema(Schema.toType(schema))

/** Encoded values of a schema's type, as Make would send them (a value JSON cannot carry is left out). */
const encodedArbitrary = (schema: Schema.Top): Arbitrary.Arbitrary<unknown> => {
  const encode = Schema.encodeUnknownResult(codec(Schema.toCodecJson(schema)))
  return Arbitrary.map(
    Arbitrary.filter(Arbitrary.map(typeArbitrary(schema), encode), Result.isSuccess),
    (encoded) => Result.getOrUndefined(encoded)
  )
}

/** One place of an encoded value (the whole value included) replaced by `null` or a string, or removed. */
const alteredArbitrary = (schema: Schema.Top): Arbitrary.Arbitrary<unknown> =>
  Arbitrary.flatMap(encodedArbitrary(schema), (valid) => {
    const places = pathsOf(valid)
    return Arbitrary.map(
      Arbitrary.all([
        Arbitrary.schema(Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: places.length - 1 }))),
        Arbitrary.schema(Schema.Literals(["null", "string", "numeric string", "removed"]))
      ]),
      ([i, how]) =>
        replaceAt(
          valid,
          places[i] ?? [],
          how === "null" ? null : how === "string" ? "x" : how === "numeric string" ? "12" : removed
        )
    )
  })

/** Every JSON success schema of the contract, by `group.endpoint`. */
const successes: ReadonlyArray<readonly [string, Schema.Top]> = (() => {
  const found: Array<readonly [string, Schema.Top]> = []
  HttpApi.reflect(MakeHttpApi, {
    onGroup: () => {},
    onEndpoint: ({ endpoint, group, successes }) => {
      for (const schema of [...successes.values()].flat()) {
        if (HttpApiSchema.getResponseEncodingSchema(schema)._tag === "Json") {
          found.push([`${group.identifier}.${endpoint.identifier}`, schema])
        }
      }
    }
  })
  return found
})()

/** Every schema a domain module exports, by `Module.name`. */
const domain: ReadonlyArray<readonly [string, Schema.Top]> = Object.entries({
  Billing,
  Common,
  Enums,
  ErrorBody,
  FeatureControl,
  Invitation,
  Organization,
  OrganizationVariable,
  Resource,
  Team,
  Usage
}).flatMap(([module, exports]) =>
  Object.entries(exports).flatMap(([name, value]) =>
    Schema.isSchema(value) ? [[`${module}.${name}`, value] as const] : []
  )
)

const runs = 50

describe("the fast path answers only Schema's value", () => {
  it("covers the contract and the domain", () => {
    expect(successes.length).toBeGreaterThanOrEqual(20)
    expect(domain.length).toBeGreaterThanOrEqual(20)
  })
  for (const [name, schema] of [...successes, ...domain]) {
    const decoders = both(schema)
    it.prop(`${name}: encoded values`, [encodedArbitrary(schema)], ([encoded]) => {
      agrees(decoders, encoded)
    }, { arbitrary: { runs } })
    it.prop(`${name}: values altered in one place`, [alteredArbitrary(schema)], ([altered]) => {
      agrees(decoders, altered)
    }, { arbitrary: { runs } })
  }
})

/** The real answers recorded from Make (fixtures/make-api). */
const fixturesRoot = join(import.meta.dirname, "../../fixtures/make-api")
const fixtures: ReadonlyArray<readonly [string, unknown]> = readdirSync(fixturesRoot, {
  recursive: true,
  encoding: "utf8"
})
  .filter((file) => file.endsWith(".json"))
  .sort()
  .map((file): readonly [string, unknown] => [file, JSON.parse(readFileSync(join(fixturesRoot, file), "utf8"))])

describe("the real fixtures", () => {
  it("take the fast path wherever Schema decodes them, with Schema's value", () => {
    const taken: Array<string> = []
    for (const [key, schema] of successes) {
      const decoders = both(schema)
      for (const [file, body] of fixtures) {
        if (Result.isFailure(decoders.schema(body))) continue
        expect([key, file, agrees(decoders, body)]).toEqual([key, file, true])
        taken.push(`${key} ${file}`)
      }
    }
    // organizations' and teams' answers, each decoded by its endpoints
    expect(taken).toEqual(expect.arrayContaining([
      "organizations.get organizations/get.json",
      "organizations.list organizations/list.json",
      "adminTeams.list teams/list.json"
    ]))
  })
})

describe("what the fast path reproduces, and where it asks Schema", () => {
  /** The fast path of a schema, checked against its closures-only form on every call. */
  const fastOf = (schema: Schema.Top) => {
    const decoders = both(schema)
    return (input: unknown) => {
      const fast = decoders.fast(input)
      expect(decoders.closures(input)).toStrictEqual(fast)
      return fast
    }
  }

  it("null as absent, and a count sent as text", () => {
    const S = Schema.Struct({ a: Common.Optional(Schema.String), n: Common.Count, m: Common.Optional(Common.Count) })
    expect(fastOf(S)({ a: null, n: "12", m: 3, extra: true })).toStrictEqual({ value: { n: 12, m: 3 } })
    expect(fastOf(S)({ n: " 1e3 " })).toStrictEqual({ value: { n: 1000 } })
    expect(fastOf(S)({ n: "NaN" })).toStrictEqual({ value: { n: Number.NaN } })
  })

  it("a failure, anywhere, is Schema's to report", () => {
    const S = Schema.Struct({ id: Common.Id, n: Common.Count, a: Common.Optional(Schema.String) })
    for (const input of [{ id: 0, n: 1 }, { id: 1, n: "abc" }, { id: 1 }, { id: 1, n: 1, a: 5 }, null, [], "x"]) {
      expect(fastOf(S)(input)).toBeUndefined()
    }
    expect(fastOf(S)({ id: 1, n: 1 })).toStrictEqual({ value: { id: 1, n: 1 } })
  })

  it("a union's members in order, the first that decodes wins", () => {
    const S = Schema.Union([
      Schema.Struct({ kind: Schema.Literal("a"), v: Schema.Number }),
      Schema.Struct({ v: Schema.String }),
      Schema.Struct({})
    ])
    expect(fastOf(S)({ kind: "a", v: 1 })).toStrictEqual({ value: { kind: "a", v: 1 } })
    expect(fastOf(S)({ kind: "a", v: "s" })).toStrictEqual({ value: { v: "s" } })
    const empty = { kind: "b", v: true }
    expect(fastOf(S)(empty)).toStrictEqual({ value: empty })
  })

  it("records, tuples and arrays", () => {
    const S = Schema.StructWithRest(Schema.Struct({ a: Schema.Number }), [Schema.Record(Schema.String, Schema.Unknown)])
    expect(fastOf(S)({ a: 1, b: [1, { c: null }] })).toStrictEqual({ value: { a: 1, b: [1, { c: null }] } })
    const T = Schema.Tuple([Schema.String, Schema.optionalKey(Schema.Number)])
    expect(fastOf(T)(["x"])).toStrictEqual({ value: ["x"] })
    expect(fastOf(T)(["x", 1, 2])).toBeUndefined()
    expect(fastOf(Schema.Array(Common.Count))([1, "2"])).toStrictEqual({ value: [1, 2] })
  })

  it("asks Schema for what it does not reproduce", () => {
    // a declaration, a template literal, an effect it cannot read now, an own `__proto__` key
    expect(fastOf(Schema.DateTimeUtcFromString)("2026-01-01T00:00:00Z")).toBeUndefined()
    expect(fastOf(Schema.TemplateLiteral(["a", Schema.String]))("ab")).toBeUndefined()
    const slow = Schema.String.pipe(
      Schema.decodeTo(
        Schema.String,
        SchemaTransformation.transformEffect<string, string>({
          decode: (s) => Effect.delay(Effect.succeed(s), "1 millis"),
          encode: Effect.succeed
        })
      )
    )
    expect(fastOf(slow)("x")).toBeUndefined()
    expect(fastOf(Schema.Record(Schema.String, Schema.Number))(JSON.parse("{\"__proto__\": 1}"))).toBeUndefined()
    // a getter that throws is a defect of Schema's, never a value
    const throwing = Schema.String.pipe(
      Schema.decodeTo(Schema.String, {
        decode: SchemaGetter.transform<string, string>(() => {
          throw new Error("boom")
        }),
        encode: SchemaGetter.passthrough()
      })
    )
    expect(fastOf(throwing)("x")).toBeUndefined()
  })
})
