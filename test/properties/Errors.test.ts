// Properties of the errors: every error class round-trips through the MakeError schema, every error of a response
// through its wire body (the contract's `api/Errors` schemas, which the emulator answers with); `fromResponse` over any
// status × any body (JSON of any shape, nested hundreds deep, text, binary-ish text) never throws, picks the tag of the
// README's error table, and the error it gives can be printed. Imports `effect` and src/ only.
import { describe, expect, it } from "@effect/vitest"
import { Arbitrary, Cause, Schema } from "effect"
import * as WireErrors from "../../src/api/Errors.js"
import { ErrorBody } from "../../src/domain/ErrorBody.js"
import * as ErrorText from "../../src/internal/errorText.js"
import { fromResponse } from "../../src/internal/statusMapper.js"
import * as MakeError from "../../src/MakeError.js"

const runs = 100

/** The README's error table (`status → tag`), restated as the oracle. */
const documentedTag = (status: number, body: unknown): MakeError.MakeError["_tag"] => {
  const isMakeBody = Schema.is(ErrorBody)(body)
  if ((isMakeBody && body.code === "IM004") || status === 406) return "NotConfirmed"
  if ([400, 405, 409, 410, 413, 415, 422].includes(status)) return "InvalidRequest"
  if (status === 401) return "Unauthorized"
  if (status === 403) return "Forbidden"
  if (status === 404) return "NotFound"
  if (status === 429) return "RateLimited"
  if (status >= 500 && status <= 599) return "ServerError"
  return "UnexpectedResponse"
}

/** A value wrapped `depth` times in arrays or objects, as a hostile server may nest its JSON. */
const nested = (depth: number, leaf: unknown, inObjects: boolean): unknown => {
  let value = leaf
  for (let i = 0; i < depth; i++) value = inObjects ? { detail: value } : [value]
  return value
}

const int = (minimum: number, maximum: number) =>
  Arbitrary.schema(Schema.Int.check(Schema.isBetween({ minimum, maximum })))

/** Text with control characters, lone surrogates and code units of every value, as a broken proxy may send. */
const binaryish = Arbitrary.map(
  Arbitrary.array(int(0, 0xffff), { maxLength: 400 }),
  (codes) => String.fromCharCode(...codes)
)

const Code = Schema.Union([Schema.Literals(["IM004", "SC404", "SC400", "SC429"]), Schema.String])

/** Make's own error JSON, its detail sometimes binary-ish. */
const makeBody = Arbitrary.map(
  Arbitrary.all({
    body: Arbitrary.schema(Schema.Struct({
      detail: Schema.String,
      message: Schema.optionalKey(Schema.String),
      code: Schema.optionalKey(Code),
      suberrors: Schema.optionalKey(
        Schema.Array(Schema.Struct({ message: Schema.String })).check(Schema.isMaxLength(3))
      )
    })),
    binary: Arbitrary.schema(Schema.Boolean),
    text: binaryish
  }),
  ({ binary, body, text }) => binary ? { ...body, detail: text } : body
)

/** One of several arbitraries, picked by a drawn index. */
const oneOf = <A>(...arbitraries: ReadonlyArray<Arbitrary.Arbitrary<A>>): Arbitrary.Arbitrary<A> =>
  Arbitrary.flatMap(int(0, arbitraries.length - 1), (i) => arbitraries[i] ?? Arbitrary.Constant(undefined as A))

/** Any body: Make's own error JSON, any JSON, deep nesting, text, binary-ish text, nothing. */
const anyBody: Arbitrary.Arbitrary<unknown> = oneOf<unknown>(
  makeBody,
  Arbitrary.schema(Schema.Json),
  Arbitrary.map(
    Arbitrary.all([int(0, 400), Arbitrary.schema(Schema.Json), Arbitrary.schema(Schema.Boolean)]),
    ([depth, leaf, inObjects]) => nested(depth, leaf, inObjects)
  ),
  Arbitrary.schema(Schema.String.check(Schema.isMaxLength(2000))),
  binaryish,
  Arbitrary.Constant(undefined)
)

/** What a wire body carries of an error: the rest (target, attempts, `Retry-After`) travels elsewhere or not at all. */
const onTheWire = (error: MakeError.MakeError) => ({
  _tag: error._tag,
  status: "status" in error ? error.status : undefined,
  detail: "detail" in error ? error.detail : undefined,
  title: "title" in error ? error.title : undefined,
  code: "code" in error ? error.code : undefined,
  suberrors: "suberrors" in error ? error.suberrors : []
})

/** What the status mapper keeps of an error's fields once they went out as Make's body and came back. */
const keptOf = (error: WireErrors.WireError, status: number, asJson: boolean) => ({
  _tag: error._tag,
  status,
  detail: ErrorText.excerpt(error.detail, 1000),
  // Make's `message` is the title; a body without one gets the detail there
  title: ErrorText.excerpt(error.title ?? error.detail, 300),
  code: error.code === undefined ? undefined : ErrorText.excerpt(error.code, 40),
  suberrors: ErrorText.boundSuberrors(
    "suberrors" in error ? (asJson ? JSON.parse(JSON.stringify(error.suberrors)) : error.suberrors) : [],
    (text) => text
  )
})

/** The printed forms of an error, each of which must not throw however hostile the body. */
const printed = (error: MakeError.MakeError): ReadonlyArray<string> => [
  error.message,
  String(error),
  JSON.stringify(error),
  Cause.pretty(Cause.fail(error))
]

/** Any error the wire schema carries (Make's `IM004` reads back as NotConfirmed, whatever the status) → its body → back. */
const wireRoundTrip = <A extends WireErrors.WireError>(wire: WireErrors.Wire<A>, status: number) =>
  it.prop(
    `${status}: an error round-trips through Make's wire body`,
    [
      Arbitrary.filter(
        Arbitrary.schema(Schema.toType(wire)),
        (error: WireErrors.WireError) => error._tag === "NotConfirmed" || error.code !== "IM004"
      )
    ],
    ([error]) => {
      const body = Schema.encodeSync(wire)(error)
      expect(onTheWire(fromResponse({ status, body }))).toEqual(keptOf(error, status, false))
      // the body is JSON on the wire: what survives JSON (of a suberror's extra fields) is what Make can send back
      const json: unknown = JSON.parse(JSON.stringify(Schema.encodeSync(Schema.toCodecJson(wire))(error)))
      expect(onTheWire(Schema.decodeUnknownSync(wire)(json))).toEqual(keptOf(error, status, true))
    },
    { timeout: 30_000, arbitrary: { runs } }
  )

describe("properties: errors", () => {
  it.prop(
    "every error class round-trips through the MakeError schema",
    [Schema.toType(MakeError.MakeError)],
    ([error]) => {
      const encoded = Schema.encodeSync(MakeError.MakeError)(error)
      const decoded = Schema.decodeUnknownSync(MakeError.MakeError)(encoded)
      // compared as data, of the same class: a field the arbitrary set to `undefined` (Effect 4 draws optional keys
      // present with `undefined`) comes back as a missing key, which Effect 3's arbitrary never drew
      expect({ ...decoded }).toEqual({ ...error })
      expect(decoded).toBeInstanceOf(error.constructor)
      expect(decoded.message).toBe(error.message)
    },
    { timeout: 30_000, arbitrary: { runs } }
  )

  wireRoundTrip(WireErrors.NotFound, 404)
  wireRoundTrip(WireErrors.NotConfirmed, 406)
  wireRoundTrip(WireErrors.InvalidRequest, 400)
  wireRoundTrip(WireErrors.Unauthorized, 401)
  wireRoundTrip(WireErrors.Forbidden, 403)
  wireRoundTrip(WireErrors.RateLimited, 429)
  wireRoundTrip(WireErrors.ServerError, 500)

  it.prop(
    "a licence gate goes on the wire as Make's bare 404, which reads back as NotFound",
    [Schema.toType(MakeError.FeatureUnavailable)],
    ([error]) => {
      const body = Schema.encodeSync(WireErrors.FeatureUnavailable)(error)
      const received = fromResponse({ status: 404, body })
      expect(received._tag).toBe("NotFound")
      expect("detail" in received && received.detail).toBe(ErrorText.excerpt(error.detail ?? "Not found.", 1000))
    },
    { timeout: 30_000, arbitrary: { runs } }
  )

  it.prop(
    "fromResponse: any status × any body → the documented tag, never a throw, printable",
    [int(0, 999), anyBody],
    ([status, body]) => {
      const error = fromResponse({ status, body })
      expect(error._tag).toBe(documentedTag(status, body))
      for (const text of printed(error)) expect(typeof text).toBe("string")
      // a body that is not Make's error JSON is cut to an excerpt, never carried whole
      if ("detail" in error && !Schema.is(ErrorBody)(body)) expect(error.detail.length).toBeLessThanOrEqual(301)
      if (error._tag === "UnexpectedResponse") expect(error.excerpt.length).toBeLessThanOrEqual(301)
    },
    { timeout: 30_000, arbitrary: { runs: 500 } }
  )
})
