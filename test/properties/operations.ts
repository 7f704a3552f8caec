// Every service method, read from the services' `methods` tables, and the value helpers the bad-input properties
// share. Ported from the Effect 3 line's test/properties/operations.ts (its contract reflection for the request
// property is not needed here); imports the services' tables (`MakeApi.methods`), Operation and `effect`.
import { Arbitrary, DateTime, Effect, Schema } from "effect"
import { isWellFormed } from "../../src/internal/valueLimits.js"
import * as MakeApi from "../../src/MakeApi.js"
import type * as Operation from "../../src/Operation.js"

/** One service method, named as users call it (`Organizations.get`). */
export interface Case {
  readonly label: string
  readonly service: string
  readonly method: string
  readonly operation: Operation.Any
}

/** The method table of every service, by the name it binds it under. */
export const tables = MakeApi.methods

/** Every method of every service (30): derived from the tables, never listed by hand. */
export const cases: ReadonlyArray<Case> = Object.entries(tables).flatMap(([service, table]) =>
  Object.entries(table).map(([method, operation]) => ({ label: `${service}.${method}`, service, method, operation }))
)

// ---------------------------------------------------------------------------
// Values
// ---------------------------------------------------------------------------

/** A place in an input: `[]` is the whole input, `["body", "name"]` a field. */
export type Path = ReadonlyArray<string | number>

const isRecord = (u: unknown): u is Readonly<Record<string, unknown>> =>
  typeof u === "object" && u !== null && !Array.isArray(u) && !DateTime.isDateTime(u)

/** Every place in a value, the value itself first; a DateTime is a leaf (users hand it over whole). */
export const pathsOf = (value: unknown, at: Path = []): ReadonlyArray<Path> => {
  if (Array.isArray(value)) return [at, ...value.flatMap((item: unknown, i) => pathsOf(item, [...at, i]))]
  if (isRecord(value)) {
    return [
      at,
      ...Object.entries(value).flatMap(([key, field]) => field === undefined ? [] : pathsOf(field, [...at, key]))
    ]
  }
  return [at]
}

/** The value with the one at `path` replaced. */
export const replaceAt = (value: unknown, path: Path, by: unknown): unknown => {
  if (path.length === 0) return by
  const [key, ...rest] = path
  if (Array.isArray(value)) return value.map((item: unknown, i) => i === key ? replaceAt(item, rest, by) : item)
  if (isRecord(value) && typeof key === "string") return { ...value, [key]: replaceAt(value[key], rest, by) }
  return value
}

/** The value at `path`. */
export const valueAt = (value: unknown, path: Path): unknown =>
  path.reduce<unknown>(
    (at, key) => Array.isArray(at) ? at[Number(key)] : isRecord(at) ? at[String(key)] : undefined,
    value
  )

/**
 * The leaves of a value as they travel in a URL or a JSON body, as text: `11`, `true`, `"Acme"` → `Acme`, a DateTime as
 * its ISO string.
 */
export const leavesOf = (value: unknown): ReadonlyArray<string> => {
  if (value === undefined || value === null) return []
  if (DateTime.isDateTime(value)) return [DateTime.formatIso(value)]
  if (Array.isArray(value)) return value.flatMap(leavesOf)
  if (isRecord(value)) return Object.values(value).flatMap(leavesOf)
  return [String(value)]
}

/** One of `items` (not empty), as fast-check's `constantFrom` on Effect 3. */
export const oneOf = <A>(items: readonly [A, ...Array<A>]): Arbitrary.Arbitrary<A> =>
  Arbitrary.map(
    Arbitrary.schema(Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: items.length - 1 }))),
    (i) => items[i] ?? items[0]
  )

/** The non-empty array, or `undefined` for an empty one. */
export const nonEmpty = <A>(items: ReadonlyArray<A>): readonly [A, ...Array<A>] | undefined => {
  const [first, ...rest] = items
  return first === undefined ? undefined : [first, ...rest]
}

/**
 * Valid inputs of a method (its input schema's Arbitrary, as Effect 3's `Arbitrary.make`). On effect 4.1.5 a property
 * over `Arbitrary.schema` of a string with a custom filter (`Name`: not blank) never runs: the property checker
 * discards every draw ("Property exhausted after 0 runs") though `sampleEffect` draws such strings. So the valid
 * inputs are drawn by `sampleEffect` (200, seeded per method: the same every run) and the property picks among them.
 * Only well-formed ones: a lone surrogate is refused whatever the schema says (Effect 3's arbitraries drew none).
 */
export const validInput = (c: Case): Arbitrary.Arbitrary<unknown> => {
  const seed = [...c.label].reduce((hash, char) => (hash * 31 + char.charCodeAt(0)) | 0, 7)
  const drawn = Effect.runSync(
    Effect.orDie(Arbitrary.sampleEffect(Arbitrary.schema(c.operation.input), { count: 200, seed }))
  )
  return oneOf(nonEmpty(drawn.filter(isWellFormed)) ?? [undefined])
}
