// Property: for every response schema of the contract (read from MakeHttpApi) and every schema of domain/, the one-pass
// decoder answers exactly what `Schema.decodeUnknownEither` answers — the same value (deep, key order included) on
// success, a failure with the same TreeFormatter message otherwise — over arbitrary encoded values, every real fixture,
// and mutations of both (a key dropped, a value nulled, retyped or nested).
import { HttpApi } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { Arbitrary, Either, FastCheck, Option, ParseResult, Schema } from "effect"
import { readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { MakeHttpApi } from "../../src/api/MakeHttpApi.js"
import * as Billing from "../../src/domain/Billing.js"
import * as Common from "../../src/domain/Common.js"
import * as Enums from "../../src/domain/Enums.js"
import * as FeatureControl from "../../src/domain/FeatureControl.js"
import * as Invitation from "../../src/domain/Invitation.js"
import * as Organization from "../../src/domain/Organization.js"
import * as OrganizationVariable from "../../src/domain/OrganizationVariable.js"
import * as Team from "../../src/domain/Team.js"
import * as Usage from "../../src/domain/Usage.js"
import { compile, tooDeep, walk } from "../../src/internal/decoder.js"
import { isShallow, maxDepth } from "../../src/internal/decoderLimits.js"

type Subject = Schema.Schema<unknown, unknown, never>

/** Every success schema of every endpoint, named `group.endpoint status`. */
const responses: ReadonlyArray<readonly [string, Subject]> = (() => {
  const found: Array<readonly [string, Subject]> = []
  HttpApi.reflect(MakeHttpApi, {
    onGroup: () => {},
    onEndpoint: ({ endpoint, group, successes }) => {
      for (const [status, { ast }] of successes) {
        Option.map(ast, (ast) => found.push([`${group.identifier}.${endpoint.name} ${status}`, Schema.make(ast)]))
      }
    }
  })
  return found
})()

/** Every schema domain/ exports: entities, their parts, and request bodies. */
const domain: ReadonlyArray<readonly [string, Subject]> = Object.entries({
  Billing,
  Common,
  Enums,
  FeatureControl,
  Invitation,
  Organization,
  OrganizationVariable,
  Team,
  Usage
}).flatMap(([module, exports]) =>
  Object.entries(exports).flatMap(([name, value]) =>
    Schema.isSchema(value) ? [[`${module}.${name}`, Schema.make<unknown>(value.ast)] as const] : []
  )
)

const subjects = [...responses, ...domain]

const root = join(import.meta.dirname, "../../../fixtures/make-api")
const fixtures: ReadonlyArray<readonly [string, unknown]> = readdirSync(root, { recursive: true, encoding: "utf8" })
  .filter((file) => file.endsWith(".json"))
  .sort()
  .map((file) => [file, JSON.parse(readFileSync(join(root, file), "utf8"))])

/** Each fixture as sent, and the entity under each of its top-level keys (what an entity schema meets). */
const seeds: ReadonlyArray<unknown> = fixtures.flatMap(([, body]) =>
  typeof body === "object" && body !== null && !Array.isArray(body) ? [body, ...Object.values(body)] : [body]
)

interface Compiled {
  readonly decode: ReturnType<typeof compile<unknown, unknown>>
  readonly walk: ReturnType<typeof walk<unknown, unknown>>
}

/**
 * The two decoders agree: the same value on success (key order included), the same message on failure; and the walk
 * alone succeeds exactly where ParseResult does, so no success came by way of the hand-over.
 */
const agree = (schema: Subject, compiled: Compiled, input: unknown) => {
  const expected = Schema.decodeUnknownEither(schema)(input)
  const actual = compiled.decode(input)
  expect(Option.isSome(compiled.walk(input))).toBe(Either.isRight(expected))
  if (Either.isRight(expected)) {
    expect(actual).toStrictEqual(expected)
    expect(JSON.stringify(Either.getOrThrow(actual))).toBe(JSON.stringify(expected.right))
  } else {
    expect(Either.isLeft(actual)).toBe(true)
    expect(Either.match(actual, { onLeft: ParseResult.TreeFormatter.formatErrorSync, onRight: String })).toBe(
      ParseResult.TreeFormatter.formatErrorSync(expected.left)
    )
  }
}

// ---------------------------------------------------------------------------
// Mutations: the fuzz test's, as a function of the value and two random numbers
// ---------------------------------------------------------------------------

/** Every place in a value a mutation may strike: the containers' children, depth-first. */
const places = (value: unknown): Array<readonly [Record<string, unknown> | Array<unknown>, string | number]> => {
  const found: Array<readonly [Record<string, unknown> | Array<unknown>, string | number]> = []
  const visit = (node: unknown) => {
    if (Array.isArray(node)) {
      node.forEach((child, i) => {
        found.push([node, i])
        visit(child)
      })
    } else if (typeof node === "object" && node !== null) {
      const record: Record<string, unknown> = Object.fromEntries(Object.entries(node))
      for (const [key, child] of Object.entries(record)) {
        found.push([record, key])
        visit(child)
      }
    }
  }
  visit(value)
  return found
}

const copy = (value: unknown): unknown => JSON.parse(JSON.stringify(value) ?? "null")

const retyped = (value: unknown): unknown =>
  typeof value === "number" ? String(value) : typeof value === "string" ? Number(value) || 0 : "x"

/** One mutation of a copy of `value`: drop, null, retype or nest the child at `where` (a fraction of the places). */
const mutate = (value: unknown, where: number, kind: number): unknown => {
  const mutated = copy(value)
  const targets = places(mutated)
  const target = targets[Math.floor(where * targets.length)]
  if (target === undefined) return kind % 2 === 0 ? null : retyped(mutated)
  const [container, key] = target
  const child = Array.isArray(container) ? container[Number(key)] : container[key]
  const next = [undefined, null, retyped(child), { value: child }, [child]][kind]
  if (Array.isArray(container)) {
    if (next === undefined) container.splice(Number(key), 1)
    else container[Number(key)] = next
  } else if (next === undefined) {
    delete container[key]
  } else {
    container[key] = next
  }
  return mutated
}

const mutation = FastCheck.tuple(FastCheck.double({ min: 0, max: 0.999, noNaN: true }), FastCheck.nat(4))

/** Arbitrary encoded values; a schema whose arbitrary cannot be built is reported by the test that needs it. */
const encoded = (schema: Subject): FastCheck.Arbitrary<unknown> => Arbitrary.make(Schema.encodedSchema(schema))

describe("Decoder: one pass, the same answers as ParseResult", () => {
  it("covers every response schema of the contract and every domain schema", () => {
    expect(responses.length).toBeGreaterThanOrEqual(30)
    expect(domain.length).toBeGreaterThanOrEqual(40)
    expect(fixtures.length).toBeGreaterThanOrEqual(10)
  })

  it("a `__proto__` key in an answer's record stays data: no prototype is set (seed -1578613816)", () => {
    const input: unknown = JSON.parse(`{"id":0,"name":"","email":"","features":{"__proto__":[]}}`)
    const user = Schema.decodeUnknownSync(Enums.AuthUser)(input)
    const decoded = Either.getOrThrow(compile(Enums.AuthUser)(input))
    expect(decoded).toStrictEqual(user)
    expect(Object.getPrototypeOf(decoded.features)).toBe(Object.prototype)
  })

  for (const [name, schema] of subjects) {
    describe(name, () => {
      const decode: Compiled = { decode: compile(schema), walk: walk(schema) }

      it("every real fixture, and each entity inside it, decodes alike", () => {
        for (const seed of seeds) agree(schema, decode, seed)
      })

      it.prop("arbitrary encoded values decode alike", [encoded(schema)], ([input]) => agree(schema, decode, input), {
        fastCheck: { numRuns: 25 }
      })

      it.prop(
        "mutated encoded values and fixtures decode alike",
        [FastCheck.oneof(encoded(schema), FastCheck.constantFrom(...seeds)), mutation],
        ([input, [where, kind]]) => agree(schema, decode, mutate(input, where, kind)),
        { fastCheck: { numRuns: 25 } }
      )
    })
  }
})

describe("Decoder: limits", () => {
  /** The depth of a value by a plain (recursive) reading: what `isShallow` must agree with. */
  const depthOf = (value: unknown): number =>
    typeof value !== "object" || value === null
      ? 0
      : 1 + Math.max(0, ...Object.values(value).map((item: unknown) => depthOf(item)))

  const nested = (depth: number): unknown => {
    let value: unknown = 1
    for (let i = 0; i < depth; i++) value = i % 2 === 0 ? [value] : { a: value }
    return value
  }

  it.prop(
    "isShallow agrees with the depth of any JSON value, at any limit",
    [FastCheck.jsonValue({ maxDepth: 12 }), FastCheck.integer({ min: 0, max: 14 })],
    ([value, limit]) => {
      expect(isShallow(value, limit)).toBe(depthOf(value) <= limit)
    }
  )

  it.prop(
    `compile answers a value nested past ${maxDepth} with one issue naming the limit, and reads one within it`,
    [FastCheck.integer({ min: maxDepth - 4, max: maxDepth + 4 })],
    ([depth]) => {
      const decode = compile(Schema.Struct({ value: Schema.Unknown }))
      const value = nested(depth - 1)
      const result = decode({ value })
      if (depth <= maxDepth) expect(result).toEqual(Either.right({ value }))
      else expect(Either.map(Either.flip(result), (e) => e.message)).toEqual(Either.right(tooDeep))
    }
  )

  it("a union keyed by a literal, given an array nested 4,000 deep as its key: a failure, not a RangeError", () => {
    const Variable = Schema.Union(
      Schema.Struct({ typeId: Schema.Literal(1), value: Schema.Number }),
      Schema.Struct({ typeId: Schema.Literal(2), value: Schema.String })
    )
    const input = { typeId: nested(4_000), value: 1 }
    expect(Option.isNone(walk(Variable)(input))).toBe(true)
    expect(Either.isLeft(compile(Variable)(input))).toBe(true)
  })

  it("a RangeError thrown while decoding is a failure naming it, never a throw", () => {
    const Overflowing = Schema.transform(Schema.String, Schema.String, {
      strict: true,
      decode: () => {
        throw new RangeError("Maximum call stack size exceeded")
      },
      encode: (s) => s
    })
    const result = compile(Overflowing)("x")
    expect(Either.map(Either.flip(result), (e) => e.message)).toEqual(
      Either.right("the body could not be decoded (RangeError: Maximum call stack size exceeded)")
    )
  })
})
