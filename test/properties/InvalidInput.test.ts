// Property: for every operation (from the services' tables), a valid input with one place replaced by a value its
// schema rejects (a value of another type, or one that breaks a refinement: 0, -1, 1.5, NaN, "", " ", over-long text,
// `a/../b`) fails with InvalidInput naming the operation and that place, before anything is sent.
import { describe, expect } from "@effect/vitest"
import { Arbitrary, Cause, DateTime, Effect, Exit, FastCheck, Option, Schema } from "effect"
import { MakeClient } from "../../src/MakeClient.js"
import { Emulator, MakeTest } from "../../src/testing/index.js"
import { layer } from "../support/layer.js"
import { type Case, cases, type Path, pathsOf, replaceAt } from "./operations.js"

/** Runs per operation: 30 operations × 25 runs. */
const numRuns = 25

/** Values of every other type, and values at or past the usual refinements' edges. */
const replacements: ReadonlyArray<unknown> = [
  "11",
  11,
  true,
  null,
  undefined,
  {},
  [],
  [1],
  DateTime.unsafeMake(0),
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

interface Broken {
  readonly input: unknown
  readonly path: Path
}

/** A valid input with one place (the whole input included) replaced by a value the schema rejects. */
const brokenInput = (c: Case): FastCheck.Arbitrary<Broken> => {
  const isValid = Schema.is(c.operation.input)
  return Arbitrary.make(c.operation.input).chain((valid: unknown) =>
    FastCheck.tuple(FastCheck.constantFrom(...pathsOf(valid)), FastCheck.constantFrom(...replacements))
      .map(([path, by]): Broken => ({ input: replaceAt(valid, path, by), path }))
      .filter(({ input }) => !isValid(input))
  )
}

/** `body.name: Expected …` → `body.name`; a problem with the whole input has no path. */
const pathOfIssue = (issue: string): string => {
  const colon = issue.indexOf(": ")
  return colon === -1 || issue.startsWith("Expected") ? "" : issue.slice(0, colon)
}

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
    const exit = yield* Effect.exit(c.operation.bindUnknown(client)(input))
    const error = Exit.match(exit, {
      onSuccess: () => Option.none(),
      onFailure: (cause) => Cause.failureOption(cause)
    })
    expect(Option.map(error, (e) => e._tag)).toEqual(Option.some("InvalidInput"))
    if (Option.isSome(error) && error.value._tag === "InvalidInput") {
      expect(error.value.operation).toBe(c.label)
      const paths = error.value.issues.map(pathOfIssue)
      expect(paths.some((issuePath) => names(issuePath, path)), `${paths.join(", ")} name ${path.join(".")}`).toBe(true)
    }
    expect(yield* emulator.requests).toEqual([])
  })

describe("properties: invalid arguments", () => {
  layer(MakeTest.layer())((it) => {
    for (const c of cases) {
      it.effect.prop(
        `${c.label}: one wrong place → InvalidInput naming it, nothing sent`,
        [brokenInput(c)],
        ([broken]) => check(c, broken),
        { timeout: 30_000, fastCheck: { numRuns } }
      )
    }
  })
})
