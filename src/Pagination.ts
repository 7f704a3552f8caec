/**
 * Paging: the caller's options, their wire encoding (`pg[offset]`, `pg[limit]`, `pg[sortBy]`, `pg[sortDir]`,
 * `cols[]`) and the `pg` echo Make sends back.
 *
 * @since 1.0.0
 */
// Paging: the caller's options, their wire names (`pg[offset]`, ..., `cols[]`) and the `pg` echo Make sends back.
// Floor 1: imports only `effect` and `domain/Common`; the contract (api/) builds its list queries from the fields here.
import { Effect, Option, Schema, Stream } from "effect"
import { Count, NumberFromString, Optional } from "./domain/Common.js"

/**
 * The order of a list: `asc` or `desc` (`pg[sortDir]`).
 *
 * @since 1.0.0
 * @category schemas
 */
export const SortDir = Schema.Literals(["asc", "desc"])

/**
 * The largest page Make serves (the default of most lists).
 *
 * @since 1.0.0
 * @category constants
 */
export const maxLimit = 10_000

/**
 * The page size of a {@link stream} when the caller gives none: large enough to keep requests few, small enough that
 * one page is a quick answer.
 *
 * @since 1.0.0
 * @category constants
 */
export const defaultStreamLimit = 500

/**
 * The paging options of a list method, as the caller passes them (numbers, not their query text).
 *
 * @since 1.0.0
 * @category options
 */
export const PageOptions = Schema.Struct({
  /** Entities to skip (`pg[offset]`). */
  offset: Schema.optional(Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER }))),
  /** Page size (`pg[limit]`), 1 to 10,000. */
  limit: Schema.optional(Schema.Int.check(Schema.isBetween({ minimum: 1, maximum: maxLimit }))),
  /** Field to sort by (`pg[sortBy]`). */
  sortBy: Schema.optional(Schema.NonEmptyString),
  /** Sort direction (`pg[sortDir]`). */
  sortDir: Schema.optional(SortDir)
})

/**
 * The type of the `PageOptions` schema.
 *
 * @since 1.0.0
 * @category options
 */
export type PageOptions = typeof PageOptions.Type

/**
 * The paging fields of a list's query, by their names in code; {@link pgWireKeys} gives their names on the wire.
 * Numbers travel as text in a query, so they decode from numeric strings (a blank or non-numeric one fails).
 *
 * @since 1.0.0
 * @category wire
 */
export const pgUrlFields = {
  /** Entities to skip (`pg[offset]`). */
  offset: Schema.optional(NumberFromString.check(Schema.isInt(), Schema.isGreaterThanOrEqualTo(0))),
  /** Page size (`pg[limit]`), 1 to 10,000. */
  limit: Schema.optional(NumberFromString.check(Schema.isInt(), Schema.isBetween({ minimum: 1, maximum: maxLimit }))),
  /** Field to sort by (`pg[sortBy]`). */
  sortBy: Schema.optional(Schema.String),
  /** Sort direction (`pg[sortDir]`). */
  sortDir: Schema.optional(SortDir)
}

/**
 * Make's query names of the paging fields, for `Schema.encodeKeys`.
 *
 * @since 1.0.0
 * @category wire
 */
export const pgWireKeys = {
  offset: "pg[offset]",
  limit: "pg[limit]",
  sortBy: "pg[sortBy]",
  sortDir: "pg[sortDir]"
} as const

/**
 * The field of typed column selection; on the wire it is `cols[]=id&cols[]=name` ({@link colsWireKey}).
 *
 * @since 1.0.0
 * @category wire
 */
export const colsUrlParam = <S extends Schema.Top & { readonly Encoded: string }>(column: S) =>
  Schema.optional(Schema.Array(column))

/**
 * Make's query name of the column selection, for `Schema.encodeKeys`.
 *
 * @since 1.0.0
 * @category wire
 */
export const colsWireKey = { cols: "cols[]" } as const

/**
 * The `pg` object Make echoes with every list. Tolerant: numbers may arrive as strings.
 *
 * @since 1.0.0
 * @category schemas
 */
export const PageInfo = Schema.Struct({
  offset: Optional(Count),
  limit: Optional(Count),
  sortBy: Optional(Schema.String),
  sortDir: Optional(SortDir)
}).annotate({ identifier: "PageInfo" })

/**
 * The `pg` echo as decoded (the type of the `PageInfo` schema).
 *
 * @since 1.0.0
 * @category models
 */
export type PageInfo = typeof PageInfo.Type

/**
 * One page of a list, with the paging Make applied.
 *
 * @since 1.0.0
 * @category models
 */
export interface Page<A> {
  readonly items: ReadonlyArray<A>
  readonly pg: PageInfo
}

/**
 * The schema of a {@link Page} of `item`s.
 *
 * @example
 * ```ts
 * import { Schema } from "effect"
 * import { Pagination } from "effect-make"
 *
 * const Names = Pagination.page(Schema.String)
 * ```
 *
 * @since 1.0.0
 * @category schemas
 */
export const page = <S extends Schema.Top>(item: S) => Schema.Struct({ items: Schema.Array(item), pg: PageInfo })

/**
 * `cols` with the columns every decoded entity needs put first (Make answers only the columns asked for, and the
 * decoder requires these); `undefined` stays `undefined`, which asks for Make's default columns.
 *
 * @example
 * ```ts
 * import { Pagination } from "effect-make"
 *
 * Pagination.withColumns(["zone"], ["id", "name"]) // ["id", "name", "zone"]
 * ```
 *
 * @since 1.0.0
 * @category options
 */
export const withColumns = <C extends string>(
  cols: ReadonlyArray<C> | undefined,
  required: ReadonlyArray<C>
): ReadonlyArray<C> | undefined =>
  cols === undefined ? undefined : [...required, ...cols.filter((col) => !required.includes(col))]

/**
 * Every item of a list, page after page: `limit` per request ({@link defaultStreamLimit} by default), from `offset`,
 * until a page comes back shorter than `limit`. One page is held at a time.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Pagination } from "effect-make"
 *
 * const numbers = Pagination.stream(({ limit, offset }) =>
 *   Effect.succeed({ items: Array.from({ length: Math.max(0, Math.min(limit, 1200 - offset)) }, (_, i) => offset + i), pg: {} })
 * )
 * ```
 *
 * @since 1.0.0
 * @category streams
 */
export const stream = <A, E, R>(
  fetchPage: (page: { readonly offset: number; readonly limit: number }) => Effect.Effect<Page<A>, E, R>,
  options?: { readonly offset?: number | undefined; readonly limit?: number | undefined }
): Stream.Stream<A, E, R> => {
  const limit = options?.limit ?? defaultStreamLimit
  return Stream.paginate(
    options?.offset ?? 0,
    (offset) =>
      Effect.map(fetchPage({ offset, limit }), (page) =>
        [
          page.items,
          page.items.length < limit ? Option.none<number>() : Option.some(offset + page.items.length)
        ] as const)
  )
}
