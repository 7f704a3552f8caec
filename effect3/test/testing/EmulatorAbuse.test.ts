// The emulator under abuse (issue 13, point 8): malformed methods, paths, bodies, content types and auth schemes,
// on a real loopback port (raw TCP, so nothing is tidied by a client) and in process. Every answer is a documented
// 4xx, never a 5xx, a hang or a silent close; a rejected request changes nothing; the log keeps bounded excerpts.
import { HttpClient, HttpClientRequest } from "@effect/platform"
import { afterAll, describe, expect } from "@effect/vitest"
import { Chunk, Effect, FastCheck as fc, Layer } from "effect"
import * as RequestLog from "../../src/testing/emulator/RequestLog.js"
import { Emulator } from "../../src/testing/index.js"
import { layer } from "../support/layer.js"
import { exchange, type Outcome, type RawRequest } from "./raw.js"
import { token } from "./wire.js"

/** Every status the emulator (or Node in front of it) may answer an abusive request with. */
const documented: ReadonlyArray<number> = [400, 401, 404, 405, 413, 415, 431]

/** Per-test timeout: generous, since the machine running `npm test` may be shared (a hang is 3 s per request). */
const slow = 60_000

/** What the suite saw, for the README's figures (printed once at the end). */
const tally = { cases: 0, serverErrors: 0, hangs: 0, closed: 0 }

afterAll(() => {
  console.log(
    `emulator abuse: ${tally.cases} cases, 5xx ${tally.serverErrors}, hangs ${tally.hangs}, silent closes ${tally.closed}`
  )
})

const count = (status: number | "Hang" | "Closed") => {
  tally.cases++
  if (status === "Hang") tally.hangs++
  else if (status === "Closed") tally.closed++
  else if (status >= 500) tally.serverErrors++
}

/** The status of an outcome, counted; a hang or a silent close fails the test with its name. */
const statusOf = (outcome: Outcome): number | "Hang" | "Closed" => {
  const status = outcome._tag === "Answer" ? outcome.answer.status : outcome._tag
  count(status)
  return status
}

const auth = ["Authorization", `Token ${token}`] as const
const api = (path: string) => `${Emulator.basePath}${path}`

/** Writes the API takes, each with a body it would accept. */
const writes: ReadonlyArray<readonly [method: string, path: string, body: string]> = [
  ["POST", "/organizations", JSON.stringify({ name: "Abuse", regionId: 1, timezoneId: 113, countryId: 1 })],
  ["PATCH", "/organizations/11", JSON.stringify({ name: "Abused" })],
  ["POST", "/admin/teams", JSON.stringify({ name: "Abuse", organizationId: 11 })],
  ["PATCH", "/admin/teams/21", JSON.stringify({ name: "Abused" })],
  ["POST", "/organizations/11/variables", JSON.stringify({ name: "abuse", typeId: 2, value: "x" })],
  ["POST", "/organizations/11/invite", JSON.stringify({ email: "a@example.com", name: "A", usersRoleId: 12 })],
  ["PATCH", "/organizations/11/feature-controls", JSON.stringify({ id: 3, enabled: false })]
]

const reads = ["/organizations", "/organizations/11", "/admin/teams?organizationId=11", "/organizations/11/variables"]

/** Every content type of the finding, a few variants of each (case, parameters, spacing). */
const unsupportedTypes = fc.constantFrom(
  "application/vnd.api+json",
  "application/problem+json",
  "application/merge-patch+json",
  "application/octet-stream",
  "application/xml",
  "text/xml",
  "text/plain",
  "text/html; charset=utf-8",
  "multipart/form-data",
  "multipart/form-data; boundary=xyz",
  "multipart/mixed; boundary=abc",
  "application/x-www-form-urlencoded",
  "APPLICATION/XML",
  "application/jsonx",
  "application/json-seq",
  "json",
  ""
)

/** Path segments no endpoint has: traversal, NUL, unicode, 10 KB ids, negative / float / overflowing numbers. */
const badSegment = fc.oneof(
  fc.constantFrom(
    "..%2F",
    "..%2F..%2Fetc%2Fpasswd",
    "%2e%2e%2f11",
    "%00",
    "11%00",
    "%",
    "%zz",
    "1e309",
    "-1e309",
    "NaN",
    "-11",
    "11.5",
    "0.5",
    "%F0%9F%98%80",
    "%C3%A9quipe",
    "%FF%FE",
    "1".repeat(10_000),
    "a".repeat(10_000)
  ),
  fc.integer({ min: -1_000_000, max: -1 }).map(String),
  fc.double({ noNaN: true }).filter((n) => !Number.isInteger(n)).map(String),
  fc.string({ unit: "grapheme", minLength: 1, maxLength: 40 }).map(encodeURIComponent)
    // `.`/`..` would be resolved away by the URL parser into another (real) path: that is not an id.
    .filter((segment) => !/^(?:\.|%2e){1,2}$/i.test(segment) && !/^\d+$/.test(segment))
)

const badPath = fc.tuple(
  fc.constantFrom(
    (s: string) => `/organizations/${s}`,
    (s: string) => `/admin/teams/${s}`,
    (s: string) => `/organizations/${s}/variables`,
    (s: string) => `/organizations/11/variables/${s}`,
    (s: string) => `//organizations/${s}`,
    (s: string) => `/organizations//${s}`,
    (s: string) => `/${s}`
  ),
  badSegment
).map(([template, segment]) => template(segment))

/** Bodies the write endpoints cannot take: not JSON, cut short, the wrong JSON type, prototype keys only. */
const badBody = fc.oneof(
  fc.string({ maxLength: 200 }).filter((text) => {
    try {
      JSON.parse(text)
      return text.trim() === ""
    } catch {
      return true
    }
  }),
  fc.constantFrom(...writes.map(([, , body]) => body)).chain((body) =>
    fc.integer({ min: 1, max: body.length - 1 }).map((cut) => body.slice(0, cut))
  ),
  fc.json({ maxDepth: 2 }).filter((text) => !text.trim().startsWith("{")),
  fc.constantFrom(
    `{"__proto__":{"polluted":true}}`,
    `{"constructor":{"prototype":{"polluted":true}}}`,
    `{"prototype":{"polluted":true}}`,
    `{"__proto__":{"name":"Proto","organizationId":11}}`,
    `[{"name":"Array","organizationId":11}]`,
    `{"name":{"__proto__":{"polluted":true}},"organizationId":11,"regionId":1}`,
    "null",
    "\u0000",
    "\uFEFF{",
    `{"name":"${"x".repeat(2_000)}`
  )
)

/** A PATCH of prototype keys alone is an empty patch (unknown keys are ignored): 200, and nothing lands. */
const isEmptyPatch = (method: string, body: string | undefined): boolean => {
  if (method !== "PATCH" || body === undefined) return false
  try {
    const value: unknown = JSON.parse(body)
    return typeof value === "object" && value !== null && !Array.isArray(value) &&
      Object.keys(value).every((key) => ["__proto__", "constructor", "prototype"].includes(key))
  } catch {
    return false
  }
}

const authorizations = fc.oneof(
  fc.constant<ReadonlyArray<readonly [string, string]>>([]),
  fc.constantFrom(
    `Bearer ${token}`,
    `Basic ${Buffer.from(`user:${token}`).toString("base64")}`,
    "Token",
    "Token ",
    `token ${token}`,
    `Token ${token}x`,
    `Token ${token.toUpperCase()}`,
    `Token  ${"0".repeat(36)}`,
    `Token ${"x".repeat(8_000)}`,
    `Token ${"x".repeat(20_000)}`,
    `Token ${token.slice(0, 8)}\u0001${token.slice(9)}`,
    `Token ${token}\u007f`,
    `Token ${token}\u00e9`
  ).map((value) => [["Authorization", value] as const]),
  // Node keeps the first of duplicated `Authorization` headers; the first is always wrong here.
  fc.constantFrom("Bearer x", "Token wrong", "").map((first) => [["Authorization", first], auth] as const)
)

/** Every log entry keeps bounded excerpts (2,048 characters plus the `…`). */
const expectBoundedLog = Effect.gen(function*() {
  const emulator = yield* Emulator.Emulator
  for (const entry of yield* emulator.requests) {
    expect(entry.path.length).toBeLessThanOrEqual(2049)
    const body = typeof entry.body === "string" ? entry.body : JSON.stringify(entry.body) ?? ""
    expect(body.length).toBeLessThanOrEqual(2049)
  }
  yield* emulator.clearRequests
})

/** The emulator on a loopback port, with the real clock (hangs are measured in wall time). */
const onAPort = Emulator.layerServer({ port: 0 }).pipe(Layer.provideMerge(Emulator.layer()))

const portOf = Effect.map(
  Emulator.EmulatorServer,
  (server) => server.address._tag === "TcpAddress" ? server.address.port : 0
)

/**
 * Sends a raw request; the answer is one of `allowed` and, when it is a 4xx, the data is untouched (the same
 * snapshot).
 */
const rejectedOnAPort = (request: RawRequest, allowed = documented) =>
  Effect.gen(function*() {
    const emulator = yield* Emulator.Emulator
    const before = yield* emulator.snapshot
    const status = statusOf(yield* exchange(yield* portOf, request))
    expect(allowed).toContain(status)
    if (typeof status === "number" && status >= 400) expect(yield* emulator.snapshot).toBe(before)
    yield* expectBoundedLog
  })

describe("Emulator under abuse", () => {
  layer(onAPort, { excludeTestServices: true })("on a loopback port (raw TCP)", (it) => {
    it.effect.prop(
      "unknown, lowercase and unsupported methods: 400, 404 or 405",
      [
        fc.oneof(
          fc.constantFrom("FOO", "TRACE", "CONNECT", "PUT", "get", "post", "Patch", "PROPFIND", "M-SEARCH", "PURGE"),
          fc.stringMatching(/^[A-Za-z-]{1,12}$/).filter((m) => !["GET", "HEAD", "POST", "PATCH", "DELETE"].includes(m))
        ),
        fc.constantFrom(...reads, ...writes.map(([, path]) => path))
      ],
      ([method, path]) =>
        rejectedOnAPort({
          method,
          target: method === "CONNECT" ? "127.0.0.1:443" : api(path),
          headers: [auth, ["Content-Type", "application/json"]],
          body: "{}"
        }, [400, 404, 405]),
      { timeout: slow, fastCheck: { numRuns: 60 } }
    )

    it.effect.prop(
      "malformed paths: 400 or 404, for reads and writes alike",
      [fc.constantFrom("GET", "PATCH", "DELETE", "POST"), badPath],
      ([method, path]) =>
        rejectedOnAPort({
          method,
          target: api(path),
          headers: [auth, ["Content-Type", "application/json"]],
          ...(method === "GET" ? {} : { body: JSON.stringify({ name: "Abused", value: "x", typeId: 2 }) })
        }, [400, 404, 431]),
      { timeout: slow, fastCheck: { numRuns: 120 } }
    )

    it.effect.prop(
      "bodies that are not the payload (invalid, truncated, wrong type, prototype keys): 400 or 404, no pollution",
      [fc.constantFrom(...writes), badBody, fc.boolean()],
      ([[method, path], body, chunked]) =>
        Effect.gen(function*() {
          yield* rejectedOnAPort({
            method,
            target: api(path),
            headers: [auth, ["Content-Type", "application/json"]],
            body,
            chunked
          }, isEmptyPatch(method, body) ? [200, 400, 404] : [400, 404])
          expect(Object.prototype).not.toHaveProperty("polluted")
          const data = JSON.stringify(yield* (yield* Emulator.Emulator).organizations)
          expect(data).not.toContain("polluted")
          expect(data).not.toContain("__proto__")
        }),
      { timeout: slow, fastCheck: { numRuns: 120 } }
    )

    it.effect.prop(
      "every content type but application/json: 415, the body unread and unlogged",
      [fc.constantFrom(...writes), unsupportedTypes, fc.boolean(), fc.boolean()],
      ([[method, path, body], contentType, authenticated, chunked]) =>
        Effect.gen(function*() {
          const emulator = yield* Emulator.Emulator
          yield* emulator.clearRequests
          const before = yield* emulator.snapshot
          const outcome = yield* exchange(yield* portOf, {
            method,
            target: api(path),
            headers: [...(authenticated ? [auth] : []), ["Content-Type", contentType]],
            body,
            chunked
          })
          expect(statusOf(outcome)).toBe(415)
          if (outcome._tag === "Answer") {
            expect(JSON.parse(outcome.answer.body)).toMatchObject({ code: "SC415", message: "Unsupported media type" })
          }
          expect(yield* emulator.snapshot).toBe(before)
          expect(yield* Emulator.lastRequest).toMatchObject({ status: 415, body: undefined, processed: false })
        }),
      { timeout: slow, fastCheck: { numRuns: 80 } }
    )

    it.effect.prop(
      "auth schemes: none, Bearer, Basic, Token empty / huge / with control characters, duplicated: 400, 401 or 431",
      [fc.constantFrom(...writes, ...reads.map((path) => ["GET", path, undefined] as const)), authorizations],
      ([[method, path, body], headers]) =>
        rejectedOnAPort({
          method,
          target: api(path),
          headers: [...headers, ["Content-Type", "application/json"]],
          body
        }, [400, 401, 431]),
      { timeout: slow, fastCheck: { numRuns: 80 } }
    )

    it.effect(
      "regression: a POST with application/vnd.api+json got no answer at all; now 415 in Make's shape",
      () =>
        Effect.gen(function*() {
          const outcome = yield* exchange(yield* portOf, {
            method: "POST",
            target: api("/admin/teams"),
            headers: [auth, ["Content-Type", "application/vnd.api+json"]],
            body: JSON.stringify({ name: "Vnd", organizationId: 11 })
          })
          expect(outcome).toMatchObject({ _tag: "Answer", answer: { status: 415 } })
          if (outcome._tag === "Answer") {
            expect(JSON.parse(outcome.answer.body)).toEqual({
              detail: "Content type \"application/vnd.api+json\" is not supported; send application/json.",
              message: "Unsupported media type",
              code: "SC415"
            })
          }
        }),
      slow
    )

    it.effect(
      "regression: multipart/form-data without a boundary was a 500 with an empty body; now 415",
      () =>
        Effect.gen(function*() {
          const outcome = yield* exchange(yield* portOf, {
            method: "PATCH",
            target: api("/organizations/11"),
            headers: [auth, ["Content-Type", "multipart/form-data"]],
            body: "name=x"
          })
          expect(outcome).toMatchObject({ _tag: "Answer", answer: { status: 415 } })
        }),
      slow
    )

    it.effect(
      "application/json with parameters or in capitals is JSON; a body without a type is read as JSON",
      () =>
        Effect.gen(function*() {
          const port = yield* portOf
          const create = (contentType: ReadonlyArray<readonly [string, string]>, name: string) =>
            exchange(port, {
              method: "POST",
              target: api("/admin/teams"),
              headers: [auth, ...contentType],
              body: JSON.stringify({ name, organizationId: 12 })
            })
          const answers = [
            yield* create([["Content-Type", "application/json; charset=utf-8"]], "Charset"),
            yield* create([["Content-Type", "Application/JSON"]], "Capitals"),
            yield* create([], "Untyped")
          ]
          expect(answers.map((outcome) => outcome._tag === "Answer" ? outcome.answer.status : outcome._tag))
            .toEqual([200, 200, 200])
          const teams = yield* (yield* Emulator.Emulator).teams(12)
          expect(teams.map((team) => team.name)).toEqual(expect.arrayContaining(["Charset", "Capitals", "Untyped"]))
        }),
      slow
    )

    it.effect(
      "a 5 MB body is 413 before it is kept: declared by Content-Length, or counted when chunked",
      () =>
        Effect.gen(function*() {
          const emulator = yield* Emulator.Emulator
          const before = yield* emulator.snapshot
          const body = JSON.stringify({ name: "x".repeat(5 * 1024 * 1024), organizationId: 11 })
          for (const chunked of [false, true]) {
            yield* emulator.clearRequests
            const outcome = yield* exchange(yield* portOf, {
              method: "POST",
              target: api("/admin/teams"),
              headers: [auth, ["Content-Type", "application/json"]],
              body,
              chunked
            }, 10_000)
            expect(statusOf(outcome)).toBe(413)
            if (outcome._tag === "Answer") expect(JSON.parse(outcome.answer.body)).toMatchObject({ code: "SC413" })
            expect(yield* Emulator.lastRequest).toMatchObject({
              status: 413,
              body: undefined,
              bodyBytes: body.length,
              processed: false
            })
          }
          expect(yield* emulator.snapshot).toBe(before)
        }),
      slow
    )

    it.effect(
      "a body under the limit is logged as a 2,048-character excerpt with its length, authenticated or not",
      () =>
        Effect.gen(function*() {
          const emulator = yield* Emulator.Emulator
          const body = JSON.stringify({ name: "y".repeat(900_000), organizationId: 11 })
          for (const headers of [[auth], []]) {
            yield* emulator.clearRequests
            const outcome = yield* exchange(yield* portOf, {
              method: "POST",
              target: api("/admin/teams"),
              headers: [...headers, ["Content-Type", "application/json"]],
              body
            })
            expect(statusOf(outcome)).toBeGreaterThanOrEqual(400)
            const logged = yield* Emulator.lastRequest
            expect(logged?.bodyBytes).toBe(body.length)
            expect(logged?.body).toBe(`${body.slice(0, 2048)}…`)
          }
        }),
      slow
    )

    it.effect(
      "regression: 45 large unauthenticated POSTs are no longer kept whole (the log stays a few KB each)",
      () =>
        Effect.gen(function*() {
          const emulator = yield* Emulator.Emulator
          yield* emulator.clearRequests
          const port = yield* portOf
          const near = JSON.stringify({ name: "n".repeat(900_000), organizationId: 11 })
          const over = JSON.stringify({ name: "o".repeat(1_100_000), organizationId: 11 })
          const statuses = yield* Effect.forEach(
            Array.from({ length: 45 }, (_, n) => n),
            (n) =>
              Effect.map(
                exchange(port, {
                  method: "POST",
                  target: api("/admin/teams"),
                  headers: [["Content-Type", "application/json"]],
                  body: n % 3 === 0 ? over : near,
                  chunked: n % 2 === 0
                }, 10_000),
                statusOf
              ),
            { concurrency: 5 }
          )
          expect(new Set(statuses)).toEqual(new Set([401, 413]))
          const requests = yield* emulator.requests
          expect(requests).toHaveLength(45)
          expect(JSON.stringify(requests).length).toBeLessThan(45 * 2_500)
        }),
      slow
    )
  })

  layer(Emulator.layerTest(), { excludeTestServices: true })("in process", (it) => {
    /** Sends through the in-process HttpClient; no answer within 3 s is a hang. */
    const rejectedInProcess = (request: HttpClientRequest.HttpClientRequest, allowed = documented) =>
      Effect.gen(function*() {
        const emulator = yield* Emulator.Emulator
        const client = yield* HttpClient.HttpClient
        const before = yield* emulator.snapshot
        const status = yield* client.execute(HttpClientRequest.prependUrl(request, Emulator.baseUrl)).pipe(
          Effect.flatMap((response) => Effect.as(response.text, response.status)),
          Effect.timeoutTo({ duration: "3 seconds", onTimeout: () => "Hang" as const, onSuccess: (s) => s }),
          Effect.orElseSucceed(() => "Closed" as const)
        )
        count(status)
        expect(allowed).toContain(status)
        if (typeof status === "number" && status >= 400) expect(yield* emulator.snapshot).toBe(before)
        expect(JSON.stringify(yield* emulator.organizations)).not.toContain("polluted")
        yield* expectBoundedLog
      })

    it.effect.prop(
      "content types, bodies and paths: 400, 404 or 415, state unchanged",
      [
        fc.constantFrom(...writes),
        fc.oneof(
          unsupportedTypes.filter((type) => type !== "").map((type) => ({ type, body: undefined })),
          badBody.map((body) => ({ type: "application/json", body }))
        ),
        fc.option(badSegment, { nil: undefined })
      ],
      ([[method, path, valid], { body, type }, segment]) =>
        rejectedInProcess(
          HttpClientRequest.make(method === "POST" ? "POST" : "PATCH")(
            segment === undefined ? path : `${path}/${segment}`
          ).pipe(
            HttpClientRequest.setHeader("Authorization", `Token ${token}`),
            HttpClientRequest.bodyText(body ?? valid, type)
          ),
          segment === undefined && isEmptyPatch(method, body) ? [200, 400, 404] : [400, 404, 415]
        ),
      { timeout: slow, fastCheck: { numRuns: 100 } }
    )

    it.effect.prop(
      "auth schemes in process: 401, state unchanged",
      [
        fc.constantFrom(...writes, ...reads.map((path) => ["GET", path, undefined] as const)),
        // Headers that fetch can carry: printable, one value per name (duplicates are covered on the port).
        authorizations.filter((headers) =>
          headers.length <= 1 && headers.every(([, value]) => /^[\x20-\x7e]*$/.test(value))
        )
      ],
      ([[method, path, body], headers]) =>
        rejectedInProcess(
          HttpClientRequest.make(method === "GET" ? "GET" : method === "POST" ? "POST" : "PATCH")(path).pipe(
            HttpClientRequest.setHeaders(Object.fromEntries(headers)),
            (request) => body === undefined ? request : HttpClientRequest.bodyText(request, body, "application/json")
          ),
          [401]
        ),
      { timeout: slow, fastCheck: { numRuns: 40 } }
    )

    it.effect("a 5 MB body in process is 413, and nothing of it is logged", () =>
      Effect.gen(function*() {
        yield* rejectedInProcess(
          HttpClientRequest.post("/organizations").pipe(
            HttpClientRequest.setHeader("Authorization", `Token ${token}`),
            HttpClientRequest.bodyText(JSON.stringify({ name: "z".repeat(5 * 1024 * 1024) }), "application/json")
          ),
          [413]
        )
      }), slow)
  })

  describe("the log is bounded", () => {
    const entry = (n: number): Emulator.RecordedRequest => ({
      method: "GET",
      path: `/organizations/${n}`,
      query: {},
      body: undefined,
      bodyBytes: 0,
      status: 404,
      authenticated: false,
      at: n,
      processed: true,
      aborted: false
    })

    layer(Layer.empty)((it) => {
      it.effect(
        "past its capacity the oldest entries go, a thousand at a time, and are counted",
        () =>
          Effect.sync(() => {
            const log = Array.from({ length: RequestLog.capacity + 1 }, (_, n) => entry(n)).reduce(
              (log, next) => RequestLog.append(next)(log),
              RequestLog.empty
            )
            expect(Emulator.requestLogCapacity).toBe(10_000)
            expect(Chunk.size(log.entries)).toBe(RequestLog.capacity - RequestLog.dropBatch + 1)
            expect(log.dropped).toBe(RequestLog.dropBatch)
            expect(Chunk.unsafeHead(log.entries).at).toBe(RequestLog.dropBatch)
            expect(Chunk.unsafeLast(log.entries).at).toBe(RequestLog.capacity)
          }),
        slow
      )
    })
  })
})
