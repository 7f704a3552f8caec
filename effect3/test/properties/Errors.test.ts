// Properties of the errors: every error class round-trips through the MakeError schema, every error of a response
// through its wire body (the contract's `api/Errors` schemas, which the emulator answers with); `fromResponse` over any
// status × any body (JSON of any shape, nested hundreds deep, text, binary-ish text) never throws, picks the tag of the
// README's error table, and the error it gives can be printed.
import { describe, expect, it } from "@effect/vitest"
import { Arbitrary, Cause, FastCheck, Schema } from "effect"
import * as WireErrors from "../../src/api/Errors.js"
import * as ErrorText from "../../src/internal/errorText.js"
import * as MakeError from "../../src/MakeError.js"

const numRuns = 100

/** The README's error table (`status → tag`), restated as the oracle. */
const documentedTag = (status: number, body: unknown): MakeError.MakeError["_tag"] => {
  const isMakeBody = Schema.is(MakeError.ErrorBody)(body)
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

/** Text with control characters, lone surrogates and bytes of every value, as a broken proxy may send. */
const binaryish = FastCheck.array(FastCheck.integer({ min: 0, max: 0xffff }), { maxLength: 400 }).map((codes) =>
  String.fromCharCode(...codes)
)

const makeBody = FastCheck.record(
  {
    detail: FastCheck.oneof(FastCheck.string(), binaryish),
    message: FastCheck.string(),
    code: FastCheck.oneof(FastCheck.constantFrom("IM004", "SC404", "SC400", "SC429"), FastCheck.string()),
    suberrors: FastCheck.array(FastCheck.record({ message: FastCheck.string() }), { maxLength: 3 })
  },
  { requiredKeys: ["detail"] }
)

/** Any body: Make's own error JSON, any JSON, deep nesting, text, binary-ish text, nothing. */
const anyBody: FastCheck.Arbitrary<unknown> = FastCheck.oneof(
  makeBody,
  FastCheck.jsonValue({ maxDepth: 6 }),
  FastCheck.tuple(FastCheck.integer({ min: 0, max: 400 }), FastCheck.jsonValue({ maxDepth: 2 }), FastCheck.boolean())
    .map(([depth, leaf, inObjects]) => nested(depth, leaf, inObjects)),
  FastCheck.string({ maxLength: 2000 }),
  binaryish,
  FastCheck.constant(undefined)
)

/** What a wire body carries of an error: the rest (target, attempts, `Retry-After`) travels elsewhere or not at all. */
const onTheWire = (error: MakeError.MakeError) => ({
  _tag: error._tag,
  status: "status" in error ? error.status : undefined,
  detail: "detail" in error ? error.detail : undefined,
  // Make's `message` is the title; a body without one gets the detail there
  title: "status" in error && "detail" in error
    ? ("title" in error ? error.title : undefined) ?? error.detail
    : undefined,
  code: "code" in error ? error.code : undefined,
  suberrors: "suberrors" in error ? error.suberrors : []
})

/** The printed forms of an error, each of which must not throw however hostile the body. */
const printed = (error: MakeError.MakeError): ReadonlyArray<string> => [
  error.message,
  String(error),
  JSON.stringify(error),
  Cause.pretty(Cause.fail(error))
]

/** Any error the wire schema carries (Make's `IM004` code reads back as NotConfirmed, whatever the status) → its body → back. */
const wireRoundTrip = <A extends MakeError.MakeError>(
  wire: Schema.Schema<A, typeof MakeError.ErrorBody.Encoded>,
  status: number
) =>
  it.prop(
    `${status}: an error round-trips through Make's wire body`,
    [
      Arbitrary.make(Schema.typeSchema(wire)).filter((error) =>
        error._tag === "NotConfirmed" || !("code" in error) || error.code !== "IM004"
      )
    ],
    ([error]) => {
      const expected = { ...onTheWire(error), status }
      const body = Schema.encodeSync(wire)(error)
      // fromResponse keeps what a body says within the documented bounds (20 suberrors, extra values 3 levels deep,
      // short strings: test/Hostile.test.ts checks those); the arbitrary nests deeper, so compare within the bounds
      expect(onTheWire(MakeError.fromResponse({ status, body }))).toEqual({
        ...expected,
        suberrors: ErrorText.boundSuberrors(expected.suberrors, (text) => text)
      })
      // the body is JSON on the wire: what survives JSON (of a suberror's extra fields) is what Make can send back
      const json: unknown = JSON.parse(JSON.stringify(body))
      const received = Schema.decodeUnknownSync(wire)(json)
      expect(onTheWire(received)).toEqual({
        ...expected,
        suberrors: ErrorText.boundSuberrors(JSON.parse(JSON.stringify(expected.suberrors)), (text) => text)
      })
    },
    { timeout: 30_000, fastCheck: { numRuns } }
  )

describe("properties: errors", () => {
  it.prop(
    "every error class round-trips through the MakeError schema",
    [MakeError.MakeError],
    ([error]) => {
      const encoded = Schema.encodeSync(MakeError.MakeError)(error)
      expect(Schema.decodeUnknownSync(MakeError.MakeError)(encoded)).toEqual(error)
    },
    { timeout: 30_000, fastCheck: { numRuns } }
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
    [MakeError.FeatureUnavailable],
    ([error]) => {
      const body = Schema.encodeSync(WireErrors.FeatureUnavailable)(error)
      const received = MakeError.fromResponse({ status: 404, body })
      expect(received._tag).toBe("NotFound")
      expect("detail" in received && received.detail).toBe(error.detail ?? "Not found.")
    },
    { timeout: 30_000, fastCheck: { numRuns } }
  )

  it.prop(
    "fromResponse: any status × any body → the documented tag, never a throw, printable",
    [FastCheck.integer({ min: 0, max: 999 }), anyBody],
    ([status, body]) => {
      const error = MakeError.fromResponse({ status, body })
      expect(error._tag).toBe(documentedTag(status, body))
      for (const text of printed(error)) expect(typeof text).toBe("string")
      // a body that is not Make's error JSON is cut to an excerpt, never carried whole
      if ("detail" in error && !Schema.is(MakeError.ErrorBody)(body)) {
        expect(error.detail.length).toBeLessThanOrEqual(301)
      }
      if (error._tag === "UnexpectedResponse") expect(error.excerpt.length).toBeLessThanOrEqual(301)
    },
    { timeout: 30_000, fastCheck: { numRuns: 500 } }
  )
})
