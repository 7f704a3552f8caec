// How the emulator answers: bodies typed by the contract's schemas, `cols[]` projection, paging and sorting, and the
// lookups every area shares. Imports `effect`, api/, MakeError and testing/ (no HTTP: the handlers send the bodies).
/**
 * How a body is typed (decided once, for every endpoint):
 *
 * - Every 2xx body is built as the `Encoded` side of the endpoint's success schema `S` (the contract's envelope, from
 *   `api/`). The encoded side is what travels, so Make's quirks, which the contract's schemas accept and the client
 *   decodes, are expressible and survive: counters as strings (`"operations": "0"`), `license.apps` as a bare string
 *   after PATCH, `transferLimit` a string on team create. Encoding a decoded value through the schema would normalise
 *   every one of them away, so the emulator never does: it types the encoded form instead. A field the client could
 *   not decode (a wrong type, a missing required field) fails the emulator's own type check.
 * - `cols[]` projects a typed list item to the columns the request asked for ({@link project}); the projection is the
 *   one place a body is narrower than the contract's type, by the caller's own choice.
 *
 * The functions that turn a body into an HTTP answer come with the handlers; {@link body} and {@link projected} are
 * the typing half, so the pure operations and their tests see exactly what will be sent.
 *
 * @since 1.0.0
 * @internal
 */
import { Array as Arr, Clock, Effect, Order, Result, type Schema } from "effect"
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
 * A 2xx body, typed as the encoded form of the endpoint's success schema (see the module's note). The schema is
 * only there to type the body.
 *
 * @example
 * ```ts
 * import { PermissionCheck } from "effect-make/api/OrganizationsApi"
 * import { body } from "effect-make/testing/emulator/Wire"
 * const answer = body(PermissionCheck, { hasPermission: true })
 * ```
 *
 * @since 1.0.0
 * @category wire
 */
export const body = <S extends Schema.Top>(_contract: S, encoded: S["Encoded"]): S["Encoded"] => encoded

/**
 * Like {@link body}, but keeps the body's own type (checked against the contract's): for envelopes whose encoded type
 * is a union (the tolerant reader's accepted shapes), so callers still see the canonical member they were given.
 *
 * @example
 * ```ts
 * import { InvitationAccepted } from "effect-make/api/InvitationsApi"
 * import { checked } from "effect-make/testing/emulator/Wire"
 * const answer = checked(InvitationAccepted, {
 *   userOrganizationRole: { userId: 1, organizationId: 11, usersRoleId: 13, invitation: null }
 * })
 * answer.userOrganizationRole.userId // 1
 * ```
 *
 * @since 1.0.0
 * @category wire
 */
export const checked = <S extends Schema.Top, const T extends S["Encoded"]>(_contract: S, encoded: T): T => encoded

/**
 * A list body narrowed by `cols[]`: each item is checked as part of the encoded form of the contract's item schema
 * (every field it has is typed as the contract says), the envelope's other members (`pg`) as they are.
 *
 * @since 1.0.0
 * @category wire
 */
export const projected = <S extends Schema.Top>(
  _item: S,
  encoded: { readonly [key: string]: ReadonlyArray<Partial<S["Encoded"]>> | PageEcho }
): { readonly [key: string]: ReadonlyArray<Partial<S["Encoded"]>> | PageEcho } => encoded

/**
 * The columns `cols` of a typed view, in the order asked, skipping unknown ones and absent values.
 *
 * @example
 * ```ts
 * import { project } from "effect-make/testing/emulator/Wire"
 * project({ id: 1, name: "Acme", zone: null }, ["name", "zone", "nope"]) // { name: "Acme" }
 * ```
 *
 * @since 1.0.0
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
 * @since 1.0.0
 * @category models
 */
export type PageWire = (typeof OrganizationList.Encoded)["pg"]

/**
 * The paging part of a list's query, decoded.
 *
 * @since 1.0.0
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
 * @since 1.0.0
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
 * Ties are broken by id, so every order is total and paging never repeats or skips an item.
 *
 * @example
 * ```ts
 * import { paginate } from "effect-make/testing/emulator/Wire"
 * const page = paginate([{ id: 2, name: "b" }, { id: 1, name: "a" }], (x) => x, { limit: 1 })
 * // Success({ items: [{ id: 1, name: "a" }], pg: { sortBy: "name", sortDir: "asc", limit: 1, offset: 0 } })
 * ```
 *
 * @since 1.0.0
 * @category paging
 */
export const paginate = <A extends { readonly id: number }>(
  items: ReadonlyArray<A>,
  columns: (item: A) => object,
  query: PageQuery,
  defaults: { readonly sortBy: string; readonly sortDir: "asc" | "desc" } = { sortBy: "name", sortDir: "asc" }
): Result.Result<{ readonly items: ReadonlyArray<A>; readonly pg: PageEcho }, MakeError.InvalidRequest> => {
  const sortBy = query.sortBy ?? defaults.sortBy
  const sortDir = query.sortDir ?? defaults.sortDir
  const offset = query.offset ?? 0
  const limit = query.limit ?? 10_000
  const sortable = Arr.match(items, { onEmpty: () => [sortBy], onNonEmpty: (all) => Object.keys(columns(all[0])) })
  if (!sortable.includes(sortBy)) {
    return Result.fail(invalidRequest([`pg[sortBy]: expected one of ${sortable.join(", ")}, got "${sortBy}"`]))
  }
  const byColumn = Order.make<A>((a, b) => compareValues(valueOf(columns(a), sortBy), valueOf(columns(b), sortBy)))
  const order = Order.combine(
    sortDir === "asc" ? byColumn : Order.flip(byColumn),
    Order.mapInput(Order.Number, (item: A) => item.id)
  )
  return Result.succeed({
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
 * @since 1.0.0
 * @category lookups
 */
export const requireOrganization = (data: Data, id: number): Result.Result<OrganizationRecord, MakeError.NotFound> =>
  Result.fromOption(findOrganization(data, id), () => organizationNotFound(id))

/**
 * Whether an optional filter accepts a value (no filter accepts all).
 *
 * @since 1.0.0
 * @category lookups
 */
export const matchesOptional = <A>(wanted: A | undefined, actual: A): boolean =>
  wanted === undefined || wanted === actual

/**
 * Now, as ISO 8601 from the `Clock`.
 *
 * @since 1.0.0
 * @category lookups
 */
export const nowIso: Effect.Effect<string> = Effect.map(Clock.currentTimeMillis, isoOf)
