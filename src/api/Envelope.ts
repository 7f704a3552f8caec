/**
 * Envelopes: the shapes Make may wrap an answer in where its pages show none, each decoding to the one value a
 * service returns.
 *
 * The policy, decided once for every endpoint whose documentation shows no response body: accept each plausible
 * envelope instead of one guess, and decode them all to the same value.
 *
 * - the entity under its singular or plural camelCase key (`{"subscription": {...}}`, `{"subscriptions": {...}}`);
 * - the entity under `data`, with any sibling metadata (`{"data": [...], "timezone": "Europe/Prague"}`, `pg`);
 * - a list as a bare array;
 * - where Make does so elsewhere, the related record that wraps the entity (declared beside the endpoint, e.g.
 *   `userOrganizationRole` wrapping an invitation).
 *
 * The first key listed is the canonical one: the emulator answers with it (a union encodes through its first member
 * that fits). Sibling fields are ignored, never an error. A method whose result is `void` reads no shape at all:
 * {@link AnyBody} takes whatever 2xx body arrives. Where the docs do show a body, the contract decodes that body
 * strictly and uses none of this. Internal to the contract: not exported from the package root.
 *
 * @since 1.0.0
 */
// Envelopes: the shapes Make may wrap an answer in where its pages show none, each decoding to one value.
// Floor 2: imports `effect`, `effect/http-api`, domain/Common and Pagination.
import { Schema, SchemaTransformation } from "effect"
import { HttpApiSchema } from "effect/http-api"
import { Optional } from "../domain/Common.js"
import { type Page, PageInfo } from "../Pagination.js"

/**
 * The keys an entity may arrive under: the canonical one first (what the emulator answers), then the others.
 *
 * @since 1.0.0
 * @category models
 */
export type Keys = readonly [canonical: string, ...others: Array<string>]

/**
 * The value under `key`, whatever siblings (metadata) the object carries. The field is declared under a fixed name
 * and renamed to `key` on the wire (`Schema.encodeKeys`), so the decoded side stays typed without a cast.
 *
 * @example
 * ```ts
 * import { Schema } from "effect"
 * import * as Envelope from "effect-make/api/Envelope"
 *
 * const Id = Envelope.under("team", Schema.Number)
 * assert.strictEqual(Schema.decodeUnknownSync(Id)({ team: 24, other: true }), 24)
 * ```
 *
 * @since 1.0.0
 * @category constructors
 */
export const under = <A, I, RD, RE>(key: string, value: Schema.Codec<A, I, RD, RE>) =>
  Schema.Struct({ value }).pipe(
    Schema.encodeKeys({ value: key }),
    Schema.decodeTo(
      Schema.toType(value),
      SchemaTransformation.transform({
        decode: (wire) => wire.value,
        encode: (decoded) => ({ value: decoded })
      })
    )
  )

/** `data` is Make's generic envelope: always accepted after the named keys. */
const withData = (keys: Keys): ReadonlyArray<string> => keys.includes("data") ? keys : [...keys, "data"]

/**
 * One entity, under any of `keys` or `data`, or inside one of the `wrappers` (schemas that decode a wrapping
 * record to the same entity).
 *
 * @example
 * ```ts
 * import { Schema } from "effect"
 * import * as Envelope from "effect-make/api/Envelope"
 *
 * const Price = Schema.Struct({ id: Schema.Number })
 * const PriceEnvelope = Envelope.entity(Price, ["price", "prices"])
 * assert.deepStrictEqual(Schema.decodeUnknownSync(PriceEnvelope)({ data: { id: 1 } }), { id: 1 })
 * assert.deepStrictEqual(Schema.decodeUnknownSync(PriceEnvelope)({ prices: { id: 1 } }), { id: 1 })
 * ```
 *
 * @since 1.0.0
 * @category constructors
 */
export const entity = <A, I, RD, RE, W extends Schema.Top & { readonly Type: A } = never>(
  value: Schema.Codec<A, I, RD, RE>,
  keys: Keys,
  ...wrappers: ReadonlyArray<W>
) => Schema.Union([...withData(keys).map((key) => under(key, value)), ...wrappers])

/**
 * A list without paging, under any of `keys` or `data`, or as a bare array.
 *
 * @example
 * ```ts
 * import { Schema } from "effect"
 * import * as Envelope from "effect-make/api/Envelope"
 *
 * const Days = Envelope.list(Schema.Struct({ date: Schema.String }), ["usage", "usages"])
 * const days = Schema.decodeUnknownSync(Days)({ data: [{ date: "2026-11-28" }], timezone: "Europe/Prague" })
 * assert.deepStrictEqual(days, [{ date: "2026-11-28" }])
 * ```
 *
 * @since 1.0.0
 * @category constructors
 */
export const list = <A, I, RD, RE>(item: Schema.Codec<A, I, RD, RE>, keys: Keys) => {
  const items = Schema.Array(item)
  return Schema.Union([...withData(keys).map((key) => under(key, items)), items])
}

const pageUnder = <A, I, RD, RE>(key: string, item: Schema.Codec<A, I, RD, RE>) =>
  Schema.Struct({ items: Schema.Array(item), pg: Optional(PageInfo) }).pipe(
    Schema.encodeKeys({ items: key }),
    Schema.decodeTo(
      Schema.Struct({ items: Schema.Array(Schema.toType(item)), pg: Schema.toType(PageInfo) }),
      SchemaTransformation.transform({
        // no `pg` echo (or `pg: null`) reads as an empty one, so a page always has it
        decode: (wire): Page<A> => ({ items: wire.items, pg: wire.pg ?? {} }),
        encode: (page) => ({ items: page.items, pg: page.pg })
      })
    )
  )

/**
 * A page of a list: the items under any of `keys` or `data`, with the `pg` echo when Make sends it (an empty
 * `PageInfo` when it does not). Decodes to a {@link Page}.
 *
 * @example
 * ```ts
 * import { Schema } from "effect"
 * import * as Envelope from "effect-make/api/Envelope"
 *
 * const Payments = Envelope.page(Schema.Struct({ id: Schema.Number }), ["payments", "payment"])
 * const page = Schema.decodeUnknownSync(Payments)({ data: [{ id: 1 }], pg: { offset: 0, limit: 10 } })
 * assert.deepStrictEqual(page, { items: [{ id: 1 }], pg: { offset: 0, limit: 10 } })
 * ```
 *
 * @since 1.0.0
 * @category constructors
 */
export const page = <A, I, RD, RE>(item: Schema.Codec<A, I, RD, RE>, keys: Keys) =>
  Schema.Union(withData(keys).map((key) => pageUnder(key, item)))

/**
 * Any 2xx body, read as text and never parsed: what a `void` method answers with. An empty body, a bare id, an
 * object: none of them can fail the call. The service logs the text at debug level (scrubbed of the token) and
 * returns `void`. Declared with Make's content type, `application/json`, though it is read as text.
 *
 * @since 1.0.0
 * @category constructors
 */
export const AnyBody = Schema.String.annotate({
  identifier: "AnyBody",
  description: "Any body: the client ignores it"
}).pipe(HttpApiSchema.asText({ contentType: "application/json" }))

/**
 * {@link AnyBody} on `204 No Content`, the other answer of a `void` call.
 *
 * @since 1.0.0
 * @category constructors
 */
export const AnyBodyNoContent = AnyBody.pipe(HttpApiSchema.status(204))
