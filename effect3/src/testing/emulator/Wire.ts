// How the emulator answers: bodies typed by the contract's schemas, `cols[]` projection, paging and sorting, and the
// lookups every area shares. Imports `effect`, `@effect/platform`, MakeError and testing/.
/**
 * How a body is typed (decided once, for every endpoint):
 *
 * - Every 2xx body is built as `Schema.Schema.Encoded<typeof S>` of the endpoint's success schema `S` (the contract's
 *   envelope, from `api/`) and sent as JSON by {@link answer}. The encoded side is what travels, so Make's quirks,
 *   which the contract's schemas accept and the client decodes, are expressible and survive: counters as strings
 *   (`"operations": "0"`, `Count` encodes from `number | string`), `license.apps` as a bare string after PATCH
 *   (`LicenseApps`), `transferLimit` a string on team create, `dataTransfer` a numeric string in usage. Encoding a
 *   decoded value through the schema would normalise every one of them away, so the emulator never does: it types the
 *   encoded form instead. A field the client could not decode (a wrong type, a missing required field, an unknown
 *   envelope member) fails the emulator's own type check.
 * - Undocumented endpoints accept several envelopes (`api/Envelope.ts`): the emulator answers the canonical member
 *   (the first key). The union's encoded type keys its members by `string`, so the compiler checks the entity and the
 *   tests pin the key.
 * - `void` endpoints (deletes, `cancelSubscription`) answer `Envelope.AnyBody`, whose encoded form is a string: the
 *   emulator still sends Make's JSON (`{"organization": 11}`), typed as a plain object, since the client reads it as
 *   text and never parses it ({@link answerVoid}).
 * - `cols[]` projects a typed list item to the columns the request asked for ({@link project}); the projection is the
 *   one place a body is narrower than the contract's type, by the caller's own choice.
 *
 * @since 0.1.0
 * @internal
 */
import { HttpServerResponse } from "@effect/platform"
import { Array as Arr, Clock, Effect, Either, Order, type Schema } from "effect"
import type { OrganizationList } from "../../api/OrganizationsApi.js"
import type * as MakeError from "../../MakeError.js"
import { isoOf } from "../EmulatorCatalog.js"
import { invalidRequest, organizationNotFound } from "./Errors.js"
import type { OrganizationRecord } from "./Records.js"
import { type Data, findOrganization } from "./Store.js"

// ---------------------------------------------------------------------------
// Typed answers
// ---------------------------------------------------------------------------

/**
 * A 200 whose body is the encoded form of the endpoint's success schema (see the module's note).
 *
 * @since 0.1.0
 * @category wire
 */
export const answer = <S extends Schema.Schema.Any>(
  _contract: S,
  body: Schema.Schema.Encoded<S>
): HttpServerResponse.HttpServerResponse => HttpServerResponse.unsafeJson(body)

/**
 * A 200 for a `void` endpoint (`Envelope.AnyBody`: the client reads the text and ignores it): Make's JSON, e.g.
 * `{"organization": 11}`.
 *
 * @since 0.1.0
 * @category wire
 */
export const answerVoid = (body: { readonly [key: string]: number | string }): HttpServerResponse.HttpServerResponse =>
  HttpServerResponse.unsafeJson(body)

/**
 * A 200 for a paged list of an undocumented envelope (`Envelope.page`: its encoded type keys the items by any string,
 * which `pg` cannot satisfy as a literal): the items typed as the encoded form of the contract's item schema, under
 * the canonical key, and the `pg` echo typed as the contract's.
 *
 * @since 0.1.0
 * @category wire
 */
export const answerPage = <S extends Schema.Schema.Any>(
  _item: S,
  key: string,
  items: ReadonlyArray<Schema.Schema.Encoded<S>>,
  pg: PageWire
): HttpServerResponse.HttpServerResponse => HttpServerResponse.unsafeJson({ [key]: items, pg })

/**
 * A 200 for a list narrowed by `cols[]`: each item is checked as part of the encoded form of the contract's item
 * schema (every field it has is typed as the contract says), the envelope's other members (`pg`) as they are.
 *
 * @since 0.1.0
 * @category wire
 */
export const answerProjected = <S extends Schema.Schema.Any>(
  _item: S,
  body: { readonly [key: string]: ReadonlyArray<Partial<Schema.Schema.Encoded<S>>> | PageEcho }
): HttpServerResponse.HttpServerResponse => HttpServerResponse.unsafeJson(body)

/**
 * The columns `cols` of a typed view, in the order asked, skipping unknown ones and absent values.
 *
 * @since 0.1.0
 * @category wire
 */
export const project = <T extends object>(view: T, cols: ReadonlyArray<string>): Partial<T> => {
  const picked: Partial<T> = {}
  for (const col of cols) {
    if (isColumn(view, col) && view[col] !== null && view[col] !== undefined) picked[col] = view[col]
  }
  return picked
}

const isColumn = <T extends object>(view: T, key: string): key is Extract<keyof T, string> => Object.hasOwn(view, key)

// ---------------------------------------------------------------------------
// Paging and sorting
// ---------------------------------------------------------------------------

/**
 * The `pg` echo as the contract types it.
 *
 * @since 0.1.0
 * @category models
 */
export type PageWire = Schema.Schema.Encoded<typeof OrganizationList>["pg"]

/**
 * The paging part of a list's query, decoded.
 *
 * @since 0.1.0
 * @category models
 */
export interface PageQuery {
  readonly offset?: number | undefined
  readonly limit?: number | undefined
  readonly sortBy?: string | undefined
  readonly sortDir?: "asc" | "desc" | undefined
}

/**
 * The `pg` echo of a page, in the order of fixtures/organizations/list.json.
 *
 * @since 0.1.0
 * @category models
 */
export interface PageEcho {
  readonly sortBy: string
  readonly sortDir: "asc" | "desc"
  readonly limit: number
  readonly offset: number
}

const sign = (n: number): -1 | 0 | 1 => n < 0 ? -1 : n > 0 ? 1 : 0

/** Make-ish ordering of column values: numbers and strings naturally, `null` and missing last. */
const compareValues = (a: unknown, b: unknown): -1 | 0 | 1 => {
  if (a === b) return 0
  if (a === undefined || a === null) return 1
  if (b === undefined || b === null) return -1
  if (typeof a === "number" && typeof b === "number") return sign(a - b)
  if (typeof a === "string" && typeof b === "string") return sign(a.localeCompare(b))
  if (typeof a === "boolean" && typeof b === "boolean") return sign(Number(a) - Number(b))
  return sign(JSON.stringify(a).localeCompare(JSON.stringify(b)))
}

const valueOf = (view: object, column: string): unknown => Object.entries(view).find(([key]) => key === column)?.[1]

/**
 * Sorts, then cuts one page; `pg` echoes what was applied. An unknown `pg[sortBy]` is a 400, as validation failures
 * are. Without `pg[sortBy]`/`pg[sortDir]`, the list's own defaults apply (by name, ascending, unless said otherwise).
 *
 * @since 0.1.0
 * @category paging
 */
export const paginate = <A extends { readonly id: number }>(
  items: ReadonlyArray<A>,
  columns: (item: A) => object,
  query: PageQuery,
  defaults: { readonly sortBy: string; readonly sortDir: "asc" | "desc" } = { sortBy: "name", sortDir: "asc" }
): Either.Either<{ readonly items: ReadonlyArray<A>; readonly pg: PageEcho }, MakeError.InvalidRequest> => {
  const sortBy = query.sortBy ?? defaults.sortBy
  const sortDir = query.sortDir ?? defaults.sortDir
  const offset = query.offset ?? 0
  const limit = query.limit ?? 10_000
  const sortable = Arr.match(items, { onEmpty: () => [sortBy], onNonEmpty: (all) => Object.keys(columns(all[0])) })
  if (!sortable.includes(sortBy)) {
    return Either.left(invalidRequest([`pg[sortBy]: expected one of ${sortable.join(", ")}, got "${sortBy}"`]))
  }
  const byColumn = Order.make<A>((a, b) => compareValues(valueOf(columns(a), sortBy), valueOf(columns(b), sortBy)))
  const order = Order.combine(
    sortDir === "asc" ? byColumn : Order.reverse(byColumn),
    Order.mapInput(Order.number, (item: A) => item.id)
  )
  return Either.right({
    items: Arr.sort(items, order).slice(offset, offset + limit),
    pg: { sortBy, sortDir, limit, offset }
  })
}

// ---------------------------------------------------------------------------
// Shared lookups
// ---------------------------------------------------------------------------

/**
 * An organization, or the 404 Make answers for it.
 *
 * @since 0.1.0
 * @category lookups
 */
export const requireOrganization = (data: Data, id: number): Either.Either<OrganizationRecord, MakeError.NotFound> =>
  Either.fromOption(findOrganization(data, id), () => organizationNotFound(id))

/**
 * Whether an optional filter accepts a value (no filter accepts all).
 *
 * @since 0.1.0
 * @category lookups
 */
export const matchesOptional = <A>(wanted: A | undefined, actual: A): boolean =>
  wanted === undefined || wanted === actual

/**
 * Now, as ISO 8601 from the `Clock`.
 *
 * @since 0.1.0
 * @category lookups
 */
export const nowIso: Effect.Effect<string> = Effect.map(Clock.currentTimeMillis, isoOf)
