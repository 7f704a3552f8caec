/**
 * Paging: the caller's options, their wire encoding (`pg[offset]`, `pg[limit]`, `pg[sortBy]`, `pg[sortDir]`,
 * `cols[]`), the `pg` echo Make sends back, and a Stream that walks every page.
 *
 * @since 0.1.0
 */
// Imports only `effect`; the contract (api/) builds its list parameters from the wire fields here.
import { Chunk, Effect, Option, Schema, Stream } from "effect"
import { Count, Optional } from "./domain/Common.js"

/**
 * The order of a list: `asc` or `desc` (`pg[sortDir]`).
 *
 * @since 0.1.0
 * @category schemas
 */
export const SortDir = Schema.Literal("asc", "desc")

/**
 * The largest page Make serves (the default of most lists).
 *
 * @since 0.1.0
 * @category constants
 */
export const maxLimit = 10_000

/**
 * Page size `stream` asks for when the caller does not say.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultStreamLimit = 500

/**
 * What a caller may ask of a list: where to start, how many, and in which order.
 *
 * @since 0.1.0
 * @category schemas
 */
export const PageOptions = Schema.Struct({
  /** Entities to skip (`pg[offset]`). */
  offset: Schema.optional(Schema.Int.pipe(Schema.nonNegative(), Schema.lessThanOrEqualTo(Number.MAX_SAFE_INTEGER))),
  /** Page size (`pg[limit]`), 1 to 10,000. */
  limit: Schema.optional(Schema.Int.pipe(Schema.between(1, maxLimit))),
  /** Field to sort by (`pg[sortBy]`). */
  sortBy: Schema.optional(Schema.String.pipe(Schema.nonEmptyString())),
  /** Sort direction (`pg[sortDir]`). */
  sortDir: Schema.optional(SortDir)
})

/**
 * The paging options a list method takes (the type of the `PageOptions` schema).
 *
 * @since 0.1.0
 * @category models
 */
export type PageOptions = typeof PageOptions.Type

/**
 * The wire form of {@link PageOptions}: struct fields under Make's query names, for a contract's `setUrlParams`.
 *
 * @since 0.1.0
 * @category wire
 */
export const pgUrlParams = {
  offset: Schema.optional(Schema.NumberFromString.pipe(Schema.int(), Schema.nonNegative())).pipe(
    Schema.fromKey("pg[offset]")
  ),
  limit: Schema.optional(Schema.NumberFromString.pipe(Schema.int(), Schema.between(1, maxLimit))).pipe(
    Schema.fromKey("pg[limit]")
  ),
  sortBy: Schema.optional(Schema.String).pipe(Schema.fromKey("pg[sortBy]")),
  sortDir: Schema.optional(SortDir).pipe(Schema.fromKey("pg[sortDir]"))
}

/**
 * The wire form of typed column selection: `cols[]=id&cols[]=name`.
 *
 * @since 0.1.0
 * @category wire
 */
export const colsUrlParam = <A extends string, I extends string>(column: Schema.Schema<A, I>) =>
  Schema.optional(Schema.Array(column)).pipe(Schema.fromKey("cols[]"))

/**
 * The `pg` object Make echoes with every list. Tolerant: numbers may arrive as strings.
 *
 * @since 0.1.0
 * @category schemas
 */
export const PageInfo = Schema.Struct({
  offset: Optional(Count),
  limit: Optional(Count),
  sortBy: Optional(Schema.String),
  sortDir: Optional(SortDir)
}).annotations({ identifier: "PageInfo" })

/**
 * The `pg` echo as decoded (the type of the `PageInfo` schema).
 *
 * @since 0.1.0
 * @category models
 */
export type PageInfo = typeof PageInfo.Type

/**
 * One page of a list, with the paging Make applied.
 *
 * @since 0.1.0
 * @category models
 */
export interface Page<A> {
  readonly items: ReadonlyArray<A>
  readonly pg: PageInfo
}

/**
 * Columns always requested when the caller selects `cols`, so that every decoded entity has its required fields.
 *
 * @since 0.1.0
 * @category combinators
 */
export const withColumns = <C extends string>(
  cols: ReadonlyArray<C> | undefined,
  required: ReadonlyArray<C>
): ReadonlyArray<C> | undefined =>
  cols === undefined ? undefined : [...required, ...cols.filter((col) => !required.includes(col))]

/**
 * Walks every page from `offset` on, `limit` entities at a time, in constant memory: the next page is requested
 * only when the stream is pulled past the current one, and the walk stops at the first short page.
 *
 * @example
 * ```ts
 * import { Chunk, Effect, Stream } from "effect"
 * import { Pagination } from "effect-make"
 *
 * // a source of 5 items, served 2 at a time: the stream asks for offsets 0, 2 and 4, and stops at the short page
 * const numbers = Pagination.stream(
 *   ({ offset, limit }) =>
 *     Effect.succeed({ items: [0, 1, 2, 3, 4].slice(offset, offset + limit), pg: { offset, limit } }),
 *   { limit: 2 }
 * )
 * assert.deepStrictEqual(Chunk.toReadonlyArray(Effect.runSync(Stream.runCollect(numbers))), [0, 1, 2, 3, 4])
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const stream = <A, E, R>(
  fetchPage: (page: { readonly offset: number; readonly limit: number }) => Effect.Effect<Page<A>, E, R>,
  options?: { readonly offset?: number | undefined; readonly limit?: number | undefined }
): Stream.Stream<A, E, R> => {
  const limit = options?.limit ?? defaultStreamLimit
  return Stream.paginateChunkEffect(
    options?.offset ?? 0,
    (offset) =>
      Effect.map(fetchPage({ offset, limit }), (page) => [
        Chunk.unsafeFromArray(page.items),
        page.items.length < limit ? Option.none() : Option.some(offset + page.items.length)
      ])
  )
}
