// Make's error bodies through the contract's error schemas: each error round-trips through its wire body; a licence
// gate goes out as Make's bare 404; and on every endpoint, any status × any body decodes (trying the declared schemas
// of that status in order, as the derived client does) to exactly what the one status mapper says, or to nothing.
import { describe, expect, it } from "@effect/vitest"
import { Option, Schema } from "effect"
import { HttpApi } from "effect/http-api"
import * as Errors from "../../src/api/Errors.js"
import { MakeHttpApi } from "../../src/api/MakeHttpApi.js"
import { ErrorBody } from "../../src/domain/ErrorBody.js"
import * as ErrorText from "../../src/internal/errorText.js"
import { fromResponse } from "../../src/internal/statusMapper.js"
import * as MakeError from "../../src/MakeError.js"

/** Every wire schema of the contract, with the status it is declared on. */
const wires = [
  [Errors.NotFound, 404],
  [Errors.NotConfirmed, 406],
  [Errors.InvalidRequest, 400],
  [Errors.Unauthorized, 401],
  [Errors.Forbidden, 403],
  [Errors.RateLimited, 429],
  [Errors.ServerError, 500]
] as const

/** What a wire body carries of an error: the rest (target, attempts, `Retry-After`) travels elsewhere or not at all. */
const onTheWire = (error: MakeError.MakeError) => ({
  _tag: error._tag,
  status: "status" in error ? error.status : undefined,
  detail: "detail" in error ? error.detail : undefined,
  title: "title" in error ? error.title : undefined,
  code: "code" in error ? error.code : undefined,
  suberrors: "suberrors" in error ? error.suberrors : []
})

/**
 * What the status mapper keeps of an error's fields once they went out as Make's body and came back; `asJson` when the
 * body went through JSON text (which keeps less of a suberror's extra values: no `-0`, no `undefined`).
 */
const keptOf = (error: Errors.WireError, status: number, asJson: boolean) => ({
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

describe("wire errors", () => {
  for (const [wire, status] of wires) {
    it.prop(
      `${status}: an error round-trips through Make's wire body`,
      [Schema.toType(wire)],
      ([error]) => {
        // Make's `IM004` code reads back as NotConfirmed whatever the status: not this error's round trip
        if (error._tag !== "NotConfirmed" && error.code === "IM004") return
        const body = Schema.encodeSync(wire)(error)
        expect(onTheWire(fromResponse({ status, body }))).toEqual(keptOf(error, status, false))
        // the body is JSON on the wire, decoded by the codec the endpoint holds
        const json: unknown = JSON.parse(JSON.stringify(Schema.encodeSync(Schema.toCodecJson(wire))(error)))
        const expected = keptOf(error, status, true)
        expect(onTheWire(Schema.decodeUnknownSync(Schema.toCodecJson(wire))(json))).toEqual(expected)
        expect(onTheWire(Schema.decodeUnknownSync(wire)(json))).toEqual(expected)
      },
      { timeout: 30_000, arbitrary: { runs: 100 } }
    )
  }

  it.prop(
    "a licence gate goes on the wire as Make's bare 404, which reads back as NotFound",
    [Schema.toType(MakeError.FeatureUnavailable)],
    ([error]) => {
      const body = Schema.encodeSync(Errors.FeatureUnavailable)(error)
      expect(body).toEqual({ detail: error.detail ?? "Not found.", message: "Not found", code: "SC404" })
      const received = fromResponse({ status: 404, body })
      expect(received._tag).toBe("NotFound")
      expect("detail" in received && received.detail).toBe(ErrorText.excerpt(error.detail ?? "Not found.", 1000))
      // the contract never decodes a body as the gate: only the licence tells it from a missing entity
      expect(Schema.decodeUnknownOption(Errors.FeatureUnavailable)(body)).toEqual(Option.none())
      expect(Schema.decodeUnknownSync(Errors.NotFound)(body)._tag).toBe("NotFound")
    },
    { timeout: 30_000, arbitrary: { runs: 100 } }
  )

  it("each wire schema names the error it decodes to", () => {
    for (const [wire] of wires) {
      expect(Errors.errorTagOf(wire.ast)).toEqual(Option.some(Schema.decodeUnknownSync(wire)({ detail: "x" })._tag))
    }
    expect(Errors.errorTagOf(Errors.FeatureUnavailable.ast)).toEqual(Option.some("FeatureUnavailable"))
    expect(Errors.errorTagOf(ErrorBody.ast)).toEqual(Option.none())
  })
})

// ---------------------------------------------------------------------------
// Through the contract: every endpoint's error schemas by status, in the order the client tries them
// ---------------------------------------------------------------------------

const known: ReadonlyArray<Errors.Wire<MakeError.MakeError>> = [
  ...wires.map(([wire]) => wire),
  Errors.FeatureUnavailable
]

/** The wire schema of ours that an endpoint holds (as `Schema.toCodecJson(wire)`, whose AST is memoized). */
const wireOf = (schema: Schema.Top) => {
  const wire = known.find((candidate) => Schema.toCodecJson(candidate).ast === schema.ast)
  if (wire === undefined) throw new Error("an error schema that is not one of src/api/Errors")
  return Schema.toCodecJson(wire)
}

/** `group.endpoint` → status → its error schemas, in the order the derived client tries them. */
const errors = new Map<string, ReadonlyMap<number, ReadonlyArray<ReturnType<typeof wireOf>>>>()
HttpApi.reflect(MakeHttpApi, {
  onGroup: () => {},
  onEndpoint: ({ endpoint, errors: byStatus, group }) => {
    errors.set(
      `${group.identifier}.${endpoint.identifier}`,
      new Map([...byStatus].map(([status, schemas]) => [status, schemas.map(wireOf)]))
    )
  }
})
const operations = [...errors.keys()]

/** The first schema at `status` that decodes `body`, as the client picks the error of a failed response. */
const decodeThrough = (operation: string, status: number, body: unknown): Option.Option<MakeError.MakeError> => {
  for (const schema of errors.get(operation)?.get(status) ?? []) {
    const decoded = Schema.decodeUnknownOption(schema)(body)
    if (Option.isSome(decoded)) return decoded
  }
  return Option.none()
}

/** The tags an endpoint declares at a status. */
const declaredTags = (operation: string, status: number): ReadonlyArray<string> =>
  (errors.get(operation)?.get(status) ?? []).flatMap((schema) => Option.toArray(Errors.errorTagOf(schema.ast)))

const isMakeBody = Schema.is(ErrorBody)
const Code = Schema.Union([Schema.Literals(["IM004", "SC404", "SC400", "SC429", "IM015"]), Schema.String])
const MakeBody = Schema.Struct({
  detail: Schema.String,
  message: Schema.optionalKey(Schema.String),
  code: Schema.optionalKey(Code),
  suberrors: Schema.optionalKey(Schema.Array(Schema.Struct({ message: Schema.String })))
})

describe("error bodies through the contract's endpoints", () => {
  it("all 30 endpoints declare the common errors, and 401 from the authentication", () => {
    expect(operations).toHaveLength(30)
    for (const operation of operations) {
      expect([operation, [400, 401, 403, 429, 500].map((status) => declaredTags(operation, status))]).toEqual([
        operation,
        [["InvalidRequest"], ["Unauthorized"], ["Forbidden"], ["RateLimited"], ["ServerError"]]
      ])
    }
  })

  it.prop(
    "any status × any body decodes to what the status mapper says, when the endpoint declares that error there",
    [
      Schema.Literals(operations),
      Schema.Literals([400, 401, 403, 404, 406, 409, 422, 429, 500, 502, 503]),
      Schema.Union([MakeBody, Schema.Json, Schema.String])
    ],
    ([operation, status, body]) => {
      const decoded = decodeThrough(operation, status, body)
      if (!isMakeBody(body)) {
        // not Make's error JSON: no error schema takes it (the client reports it as a body it cannot read)
        expect(decoded).toEqual(Option.none())
        return
      }
      const mapped = fromResponse({ status, body })
      const declared = declaredTags(operation, status).filter((tag) => tag !== "FeatureUnavailable")
      expect(decoded).toEqual(declared.includes(mapped._tag) ? Option.some(mapped) : Option.none())
    },
    { timeout: 30_000, arbitrary: { runs: 1000 } }
  )

  // The table the property walks, spelled out on the endpoint with the most errors.
  const table: ReadonlyArray<readonly [number, unknown, string | undefined]> = [
    [404, { detail: "Not found.", message: "Not found", code: "SC404" }, "NotFound"],
    [406, { detail: "Confirm it.", message: "Not confirmed", code: "IM004" }, "NotConfirmed"],
    // IM004 reads as NotConfirmed, which this endpoint declares on 406 only: a 400 IM004 is no declared error
    [400, { detail: "Confirm it.", code: "IM004" }, undefined],
    [400, { detail: "Validation failed", code: "IM015", suberrors: [{ message: "value" }] }, "InvalidRequest"],
    [401, { detail: "Invalid token.", code: "SC401" }, "Unauthorized"],
    [403, { detail: "Access denied.", code: "SC403" }, "Forbidden"],
    [429, { detail: "Slow down.", code: "SC429" }, "RateLimited"],
    [500, { detail: "Oops.", code: "SC500" }, "ServerError"],
    // statuses the contract does not declare: the client's pipeline maps them (502 → ServerError) before decoding
    [502, { detail: "Bad gateway." }, undefined],
    [422, { detail: "Unprocessable." }, undefined],
    [404, "<html>Not found</html>", undefined]
  ]
  for (const [status, body, tag] of table) {
    it(`DELETE a variable: ${status} ${JSON.stringify(body).slice(0, 50)} → ${tag ?? "no declared error"}`, () => {
      const decoded = decodeThrough("organizationVariables.delete", status, body)
      expect(Option.map(decoded, (error) => error._tag)).toEqual(Option.fromUndefinedOr(tag))
      if (Option.isSome(decoded)) expect(decoded.value).toEqual(fromResponse({ status, body }))
    })
  }

  it("the licence gate is declared after NotFound on the variable calls but list", () => {
    const gated = operations.filter((operation) => declaredTags(operation, 404).includes("FeatureUnavailable"))
    expect(gated.sort()).toEqual([
      "organizationVariables.create",
      "organizationVariables.delete",
      "organizationVariables.history",
      "organizationVariables.update"
    ])
    for (const operation of gated) expect(declaredTags(operation, 404)).toEqual(["NotFound", "FeatureUnavailable"])
  })
})
