// Property: for every method (from the services' tables), a valid input with one place replaced by a value its schema
// rejects (a value of another type, or one that breaks a refinement: 0, -1, 1.5, NaN, "", " ", over-long text,
// `a/../b`) fails with InvalidInput naming the method and that place, before anything is sent; and so does a valid
// input with a lone surrogate put into any of its strings. Imports `effect` and src/ only.
import { describe, expect, it, layer } from "@effect/vitest"
import { Arbitrary, Cause, DateTime, Effect, Exit, Option, Schema } from "effect"
import { MakeClient } from "../../src/MakeClient.js"
import * as Emulator from "../../src/testing/Emulator.js"
import * as MakeTest from "../../src/testing/MakeTest.js"
import { type Case, cases, type Path, pathsOf, replaceAt, validInput, valueAt } from "./operations.js"

/** Runs per method: 30 methods × 25 runs. */
const runs = 25

/** Values of every other type, and values at or past the usual refinements' edges. */
const replacements: readonly [unknown, ...Array<unknown>] = [
  "11",
  11,
  true,
  null,
  undefined,
  {},
  [],
  [1],
  DateTime.makeUnsafe(0),
  0,
  -1,
  1.5,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  2 ** 53,
  "",
  " ",
  "x".repeat(5000),
  "a/../b",
  "a b"
]

/** One of `values` (never empty), drawn: Effect 4's Arbitrary has no `constantFrom`, so an index is drawn instead. */
const oneOf = <A>(values: readonly [A, ...Array<A>]): Arbitrary.Arbitrary<A> =>
  Arbitrary.map(
    Arbitrary.schema(Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: values.length - 1 }))),
    (i) => values[i] ?? values[0]
  )

/** Every place in a value, the whole value first (so never empty). */
const placesOf = (value: unknown): readonly [Path, ...Array<Path>] => [[], ...pathsOf(value).slice(1)]

interface Broken {
  readonly input: unknown
  readonly path: Path
}

/** A valid input with one place (the whole input included) replaced by a value the schema rejects. */
const brokenInput = (c: Case): Arbitrary.Arbitrary<Broken> => {
  const isValid = Schema.is(c.method.input)
  return Arbitrary.flatMap(validInput(c), (valid) =>
    Arbitrary.filter(
      Arbitrary.map(
        Arbitrary.all([oneOf(placesOf(valid)), oneOf(replacements)]),
        ([path, by]): Broken => ({ input: replaceAt(valid, path, by), path })
      ),
      ({ input }) => !isValid(input)
    ))
}

/** `body.name: Expected …` → `body.name`; a problem with the whole input has no path. */
const pathOfIssue = (issue: string): string => /^([^\s:]+): /.exec(issue)?.[1] ?? ""

/**
 * Whether an issue names the replaced place: the place itself, a place in it (`{}` for a body misses its `name`), or a
 * place around it (a union of shapes, such as a variable's `{ typeId, value }`, is refused as a whole).
 */
const names = (issuePath: string, path: Path): boolean => {
  const within = (inner: string, outer: string) => outer === "" || inner === outer || inner.startsWith(`${outer}.`)
  const replaced = path.join(".")
  return within(issuePath, replaced) || within(replaced, issuePath)
}

const check = (c: Case, { input, path }: Broken) =>
  Effect.gen(function*() {
    const emulator = yield* Emulator.Emulator
    yield* emulator.clearRequests
    const client = yield* MakeClient
    const exit = yield* Effect.exit(c.method.make(client, c.service, c.name).unknown(input))
    const error = Exit.match(exit, {
      onSuccess: () => Option.none(),
      onFailure: (cause) => Cause.findErrorOption(cause)
    })
    expect(Option.map(error, (e) => e._tag)).toEqual(Option.some("InvalidInput"))
    if (Option.isSome(error) && error.value._tag === "InvalidInput") {
      expect(error.value.operation).toBe(c.label)
      const paths = error.value.issues.map(pathOfIssue)
      expect(paths.some((issuePath) => names(issuePath, path)), `${paths.join(", ")} name ${path.join(".")}`).toBe(true)
    }
    expect(yield* Emulator.requests).toEqual([])
  })

// ---------------------------------------------------------------------------
// Ill-formed strings: a lone surrogate anywhere a string goes (path, query, body)
// ---------------------------------------------------------------------------

/** The places of a value that hold a string. */
const stringPaths = (value: unknown): readonly [Path, ...Array<Path>] | readonly [] => {
  const [first, ...rest] = pathsOf(value).filter((path) => typeof valueAt(value, path) === "string")
  return first === undefined ? [] : [first, ...rest]
}

/** Valid inputs of a method, drawn once: which of its places can hold a string. */
const samples = (c: Case, count: number, seed: number) =>
  Effect.runSync(Arbitrary.sampleEffect(validInput(c), { count, seed, size: 30 }))

/**
 * A valid input with one of its strings made ill-formed by a lone surrogate inserted somewhere in it. The valid inputs
 * come from a pool drawn once at a fair size: a property check starts at the smallest size, where a method's options
 * are all absent and its input holds no string, and discarding every such draw would exhaust it.
 */
const illFormedInput = (c: Case): Arbitrary.Arbitrary<Broken> => {
  const pool = samples(c, 200, 3).flatMap((valid) => {
    const [path, ...others] = stringPaths(valid)
    return path === undefined ? [] : [{ valid, paths: [path, ...others] as const }]
  })
  const [first, ...rest] = pool
  if (first === undefined) throw new Error(`${c.label}: no valid input with a string drawn`)
  return Arbitrary.flatMap(oneOf([first, ...rest]), ({ paths, valid }) =>
    Arbitrary.map(
      Arbitrary.all([
        oneOf(paths),
        oneOf(["\ud800", "\udbff", "\udc00", "\udfff"]),
        Arbitrary.schema(Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: 10_000 })))
      ]),
      ([path, lone, at]): Broken => {
        const text = String(valueAt(valid, path))
        const cut = at % (text.length + 1)
        return { input: replaceAt(valid, path, `${text.slice(0, cut)}${lone}${text.slice(cut)}`), path }
      }
    ))
}

/** The methods whose valid inputs can hold a string (the others have no place for a lone surrogate). */
const withStrings = cases.filter((c) => samples(c, 50, 1).some((valid) => stringPaths(valid).length > 0))

describe("properties: ill-formed strings", () => {
  it("every path and query string the issue named is among the places tried", () => {
    const tried = new Set(
      withStrings.flatMap((c) =>
        samples(c, 200, 2).flatMap((valid) => stringPaths(valid).map((path) => `${c.label}:${path.join(".")}`))
      )
    )
    for (
      const place of [
        "Organizations.list:externalId",
        "Organizations.list:zone",
        "Organizations.list:sortBy",
        "AdminTeams.list:externalId",
        "FeatureControls.list:featureControlName"
      ]
    ) expect(tried.has(place), place).toBe(true)
  })

  layer(MakeTest.layer())((it) => {
    for (const c of withStrings) {
      it.effect.prop(
        `${c.label}: a lone surrogate in any string → InvalidInput naming it, nothing sent`,
        [illFormedInput(c)],
        ([broken]) => check(c, broken),
        { timeout: 30_000, arbitrary: { runs } }
      )
    }
  })
})

describe("properties: invalid arguments", () => {
  layer(MakeTest.layer())((it) => {
    for (const c of cases) {
      it.effect.prop(
        `${c.label}: one wrong place → InvalidInput naming it, nothing sent`,
        [brokenInput(c)],
        ([broken]) => check(c, broken),
        { timeout: 30_000, arbitrary: { runs } }
      )
    }
  })
})
