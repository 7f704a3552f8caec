// Paging: the caller's options, their wire names (`pg[offset]`, ..., `cols[]`) and the `pg` echo Make sends back.
// Floor 1: imports only `effect` and `domain/Common`; the contract (api/) builds its list queries from the fields here.
/**
 * Paging: the caller's options, their wire encoding (`pg[offset]`, `pg[limit]`, `pg[sortBy]`, `pg[sortDir]`,
 * `cols[]`) and the `pg` echo Make sends back.
 *
 * Ported so far: what the contract needs. The page walker (`stream`) of the Effect 3 line comes with the services.
 *
 * @since 1.0.0
 */
import { Schema } from "effect"
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
