// The Effect 4 emulator under abuse, on a loopback port over raw TCP (nothing tidied by a client): bad methods, paths,
// bodies, content types, auth schemes and request lines. Every answer is a documented 4xx, never a 5xx or a silent
// close; the server keeps answering; a rejected request changes nothing; the log stays bounded and token-free.
import { describe, expect, layer } from "@effect/vitest"
import { Chunk, Effect, Redacted, Schema } from "effect"
import { HttpClient, HttpClientRequest, HttpServer } from "effect/http"
import * as Emulator from "../../src/testing/Emulator.js"
import type { RecordedRequest } from "../../src/testing/emulator/Records.js"
import * as RequestLog from "../../src/testing/emulator/RequestLog.js"
import { exchange, exchangeBytes, type Outcome, type RawRequest } from "./raw.js"

const crlf = "\r\n"

const token = Redacted.value(Emulator.defaultToken)
const auth = ["Authorization", `Token ${token}`] as const
const api = (path: string) => `${Emulator.basePath}${path}`

/** Every status the emulator (or Node in front of it) may answer an abusive request with. */
const documented: ReadonlyArray<number> = [400, 401, 404, 405, 413, 415, 431]

/** Generous: the machine may be shared; a hang is caught here, not by a timer of the test's own. */
const slow = 60_000

/** Bounded, reproducible property runs. */
const runs = (n: number) => ({ timeout: slow, arbitrary: { runs: n, seed: 42 } })

/** Writes the API takes, each with a body it would accept. */
const writes = [
  ["POST", "/organizations", JSON.stringify({ name: "Abuse", regionId: 1, timezoneId: 113, countryId: 1 })],
  ["PATCH", "/organizations/11", JSON.stringify({ name: "Abused" })],
  ["POST", "/admin/teams", JSON.stringify({ name: "Abuse", organizationId: 11 })],
  ["PATCH", "/admin/teams/21", JSON.stringify({ name: "Abused" })],
  ["POST", "/organizations/11/variables", JSON.stringify({ name: "abuse", typeId: 2, value: "x" })],
  ["POST", "/organizations/11/invite", JSON.stringify({ email: "a@example.com", name: "A", usersRoleId: 12 })],
  ["PATCH", "/organizations/11/feature-controls", JSON.stringify({ id: 3, enabled: false })]
] as const

const writeIndex = Schema.Literals([0, 1, 2, 3, 4, 5, 6])
const writeAt = (n: number) => writes[n] ?? writes[0]

const reads = ["/organizations", "/organizations/11", "/admin/teams?organizationId=11", "/organizations/11/variables"]

/** Every content type but JSON, a few variants of each (case, parameters, spacing). */
const unsupportedTypes = Schema.Literals([
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
])

/** Path segments no endpoint has: traversal, NUL, unicode, 10 KB ids, negative / float / overflowing numbers. */
const badSegment = Schema.Literals([
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
  "-999999",
  "11.5",
  "0.5",
  "%F0%9F%98%80",
  "%C3%A9quipe",
  "%FF%FE",
  "%ED%A0%80",
  "1".repeat(10_000),
  "a".repeat(10_000)
])

const pathTemplates = [
  (s: string) => `/organizations/${s}`,
  (s: string) => `/admin/teams/${s}`,
  (s: string) => `/organizations/${s}/variables`,
  (s: string) => `/organizations/11/variables/${s}`,
  (s: string) => `//organizations/${s}`,
  (s: string) => `/organizations//${s}`,
  (s: string) => `/${s}`
]
const templateIndex = Schema.Literals([0, 1, 2, 3, 4, 5, 6])
const badPath = (template: number, segment: string) => {
  const make = pathTemplates[template]
  return make === undefined ? `/${segment}` : make(segment)
}

/** Bodies the write endpoints cannot take: not JSON, cut short, the wrong JSON type, prototype keys only. */
const badBody = Schema.Literals([
  // An empty or blank body: a PATCH with one is a 400 (the contract wants a body), not a change of nothing.
  "",
  " ",
  "{",
  "}",
  "{name:1}",
  "{'name':'x'}",
  "[1,2",
  "undefined",
  "NaN",
  "{\"name\":\"Abuse\",}",
  "{\"name\":\"Abu",
  "{\"organizationId\":11",
  "1",
  "\"text\"",
  "true",
  "[]",
  "[1,\"a\",null]",
  "{\"__proto__\":{\"polluted\":true}}",
  "{\"constructor\":{\"prototype\":{\"polluted\":true}}}",
  "{\"prototype\":{\"polluted\":true}}",
  "{\"__proto__\":{\"name\":\"Proto\",\"organizationId\":11}}",
  "[{\"name\":\"Array\",\"organizationId\":11}]",
  "{\"name\":{\"__proto__\":{\"polluted\":true}},\"organizationId\":11,\"regionId\":1}",
  "null",
  "\u0000",
  "\uFEFF{",
  `{"name":"${"x".repeat(2_000)}`
])

/** A PATCH of prototype keys alone is an empty patch (unknown keys are ignored): 200, and nothing lands. */
const isEmptyPatch = (method: string, body: string): boolean => {
  if (method !== "PATCH") return false
  try {
    const value: unknown = JSON.parse(body)
    return typeof value === "object" && value !== null && !Array.isArray(value) &&
      Object.keys(value).every((key) => ["__proto__", "constructor", "prototype"].includes(key))
  } catch {
    return false
  }
}

/** Authorization headers that are all wrong: schemes, case, empty, huge, control characters, duplicated. */
const authorizations: ReadonlyArray<ReadonlyArray<readonly [string, string]>> = [
  [],
  ...[
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
  ].map((value) => [["Authorization", value] as const]),
  // Node keeps the first of duplicated `Authorization` headers; the first is always wrong here.
  ...["Bearer x", "Token wrong", ""].map((first) => [["Authorization", first] as const, auth])
]
const authorizationIndex = Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: authorizations.length - 1 }))

const portOf = Effect.map(
  Effect.service(HttpServer.HttpServer),
  (server) => server.address._tag === "UnixPathAddress" ? 0 : server.address.port
)

const statusOf = (outcome: Outcome): number | "Closed" =>
  outcome._tag === "Answer" ? outcome.answer.status : outcome._tag

const bodyOf = (outcome: Outcome): unknown => outcome._tag === "Answer" ? JSON.parse(outcome.answer.body) : undefined

/** Every log entry keeps bounded excerpts (2,048 characters plus the `…`) and never the token; then clears it. */
const expectBoundedLog = Effect.gen(function*() {
  const emulator = yield* Emulator.Emulator
  const logged = yield* emulator.requests
  for (const entry of logged) {
    expect(entry.path.length).toBeLessThanOrEqual(2049)
    const body = typeof entry.body === "string" ? entry.body : JSON.stringify(entry.body) ?? ""
    expect(body.length).toBeLessThanOrEqual(2049)
  }
  expect(JSON.stringify(logged)).not.toContain(token)
  yield* emulator.clearRequests
})

/** The server still answers a plain, valid request. */
const stillAnswers = Effect.gen(function*() {
  const outcome = yield* exchange(yield* portOf, { method: "GET", target: api("/organizations/11"), headers: [auth] })
  expect(statusOf(outcome)).toBe(200)
  yield* (yield* Emulator.Emulator).clearRequests
})

/** Sends a raw request; the answer is one of `allowed` and, when it is a 4xx, the data is untouched. */
const rejected = (request: RawRequest, allowed = documented) =>
  Effect.gen(function*() {
    const emulator = yield* Emulator.Emulator
    const before = yield* emulator.snapshot
    const status = statusOf(yield* exchange(yield* portOf, request))
    expect(allowed).toContain(status)
    if (typeof status === "number" && status >= 400) expect(yield* emulator.snapshot).toBe(before)
    yield* expectBoundedLog
  })

describe("Effect 4 emulator under abuse", () => {
  layer(Emulator.layer({ port: 0 }), { excludeTestServices: true })("on a loopback port (raw TCP)", (it) => {
    it.effect.prop(
      "unknown, lowercase and unsupported methods: 400, 404 or 405",
      [
        // TRACE and CONNECT included: a web `Request` cannot carry TRACE (it was a 500), and Node hands CONNECT to a
        // listener of its own (the connection was dropped without a word)
        Schema.Literals([
          "FOO",
          "PUT",
          "get",
          "post",
          "Patch",
          "PROPFIND",
          "M-SEARCH",
          "PURGE",
          "OPTIONS",
          "TRACE",
          "CONNECT"
        ]),
        Schema.Literals([...reads, ...writes.map(([, path]) => path)])
      ],
      ([method, path]) =>
        rejected({
          method,
          target: api(path),
          headers: [auth, ["Content-Type", "application/json"]],
          body: "{}"
        }, [400, 404, 405]),
      runs(60)
    )

    it.effect.prop(
      "malformed paths (traversal, NUL, unicode, 10 KB ids, odd numbers): 400 or 404, for reads and writes alike",
      [Schema.Literals(["GET", "PATCH", "DELETE", "POST"]), templateIndex, badSegment],
      ([method, template, segment]) =>
        rejected({
          method,
          target: api(badPath(template, segment)),
          headers: [auth, ["Content-Type", "application/json"]],
          ...(method === "GET" ? {} : { body: JSON.stringify({ name: "Abused", value: "x", typeId: 2 }) })
        }, [400, 404, 431]),
      runs(120)
    )

    it.effect.prop(
      "bodies that are not the payload (invalid, truncated, wrong type, prototype keys): 400 or 404, no pollution",
      [writeIndex, badBody, Schema.Boolean],
      ([write, body, chunked]) =>
        Effect.gen(function*() {
          const [method, path] = writeAt(write)
          yield* rejected({
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
      runs(120)
    )

    it.effect.prop(
      "every content type but application/json: 415 in Make's shape, the body unread and unlogged",
      [writeIndex, unsupportedTypes, Schema.Boolean, Schema.Boolean],
      ([write, contentType, authenticated, chunked]) =>
        Effect.gen(function*() {
          const [method, path, body] = writeAt(write)
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
          expect(bodyOf(outcome)).toMatchObject({ code: "SC415", message: "Unsupported media type" })
          expect(yield* emulator.snapshot).toBe(before)
          const logged = yield* emulator.requests
          expect(logged.at(-1)).toMatchObject({ status: 415, body: undefined, processed: false })
        }),
      runs(80)
    )

    it.effect.prop(
      "auth schemes: none, Bearer, Basic, Token empty / huge / with control characters, duplicated: 400, 401 or 431",
      [Schema.Literals([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]), authorizationIndex],
      ([request, authorization]) => {
        const [method, path, body] = request < writes.length
          ? writeAt(request)
          : ["GET", reads[request - writes.length] ?? "/organizations", undefined] as const
        return rejected({
          method,
          target: api(path),
          headers: [...(authorizations[authorization] ?? []), ["Content-Type", "application/json"]],
          body
        }, [400, 401, 431])
      },
      runs(80)
    )
    it.effect(
      "bad request lines and headers: Node's 400 before the app, and the server keeps answering",
      () =>
        Effect.gen(function*() {
          const port = yield* portOf
          const head = (lines: ReadonlyArray<string>) => Buffer.from(`${lines.join(crlf)}${crlf}${crlf}`, "latin1")
          const target = api("/organizations")
          const bad = [
            head(["GARBAGE"]),
            head(["GET"]),
            head([`GET ${target} HTTP/9.9`, "Host: x"]),
            head([`GET ${api("/organ\u0000izations")} HTTP/1.1`, "Host: x"]),
            head([`GET ${target} HTTP/1.1`, "Host: x", "Bad Header"]),
            head([`GET ${target} HTTP/1.1`, "Host: x", "Content-Length: abc"]),
            Buffer.from(
              `POST ${target} HTTP/1.1${crlf}Host: x${crlf}Content-Length: 5${crlf}Transfer-Encoding: chunked${crlf}${crlf}0${crlf}${crlf}`,
              "latin1"
            )
          ]
          for (const bytes of bad) {
            expect(statusOf(yield* exchangeBytes(port, bytes))).toBe(400)
            yield* stillAnswers
          }
          expect(yield* Emulator.requests).toEqual([])
        }),
      slow
    )

    it.effect(
      "huge headers, one of 70 KB or 3,000 small ones: 431, and the server keeps answering",
      () =>
        Effect.gen(function*() {
          const port = yield* portOf
          const big = [["X-Big", "a".repeat(70_000)] as const]
          const many = Array.from({ length: 3_000 }, (_, n) => [`X-${n}`, "a"] as const)
          for (const headers of [big, many]) {
            expect(statusOf(yield* exchange(port, { method: "GET", target: api("/organizations"), headers }))).toBe(431)
            yield* stillAnswers
          }
        }),
      slow
    )

    it.effect(
      "path traversal in the raw target is resolved inside the API: Make's 404, nothing outside is served",
      () =>
        Effect.gen(function*() {
          const port = yield* portOf
          for (
            const target of [api("/../../etc/passwd"), api("/organizations/11/../../../etc/passwd"), "/../etc/passwd"]
          ) {
            const outcome = yield* exchange(port, { method: "GET", target, headers: [auth] })
            expect(statusOf(outcome)).toBe(404)
            expect(bodyOf(outcome)).toEqual({
              detail: "The requested endpoint does not exist.",
              message: "Not found",
              code: "SC404"
            })
          }
          yield* expectBoundedLog
        }),
      slow
    )

    it.effect(
      "a body over 1 MiB is 413 in Make's shape, unread and unkept: by Content-Length, chunked, or declared",
      () =>
        Effect.gen(function*() {
          const emulator = yield* Emulator.Emulator
          const port = yield* portOf
          const before = yield* emulator.snapshot
          const body = JSON.stringify({ name: "x".repeat(Emulator.maxRequestBodyBytes + 50_000), organizationId: 11 })
          for (const chunked of [false, true]) {
            yield* emulator.clearRequests
            const outcome = yield* exchange(port, {
              method: "POST",
              target: api("/admin/teams"),
              headers: [auth, ["Content-Type", "application/json"]],
              body,
              chunked
            })
            expect(statusOf(outcome)).toBe(413)
            expect(bodyOf(outcome)).toEqual({
              detail: `The request body (${body.length} bytes) is larger than the limit of 1048576 bytes.`,
              message: "Payload too large",
              code: "SC413"
            })
            expect((yield* emulator.requests).at(-1)).toMatchObject({
              status: 413,
              body: undefined,
              bodyBytes: body.length,
              processed: false
            })
          }
          // A Content-Length of 100 MB with two bytes behind it: refused on the declaration, not waited for.
          const declared = yield* exchangeBytes(
            port,
            Buffer.from(
              [
                `POST ${api("/admin/teams")} HTTP/1.1`,
                "Host: x",
                "Connection: close",
                `Authorization: Token ${token}`,
                "Content-Type: application/json",
                "Content-Length: 99999999",
                "",
                "{}"
              ].join(crlf),
              "latin1"
            )
          )
          expect(statusOf(declared)).toBe(413)
          expect(bodyOf(declared)).toMatchObject({ code: "SC413", message: "Payload too large" })
          expect(yield* emulator.snapshot).toBe(before)
          yield* expectBoundedLog
          yield* stillAnswers
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
            const status = statusOf(outcome)
            expect(typeof status === "number" && status < 500).toBe(true)
            const logged = (yield* emulator.requests).at(-1)
            expect(logged?.bodyBytes).toBe(body.length)
            expect(logged?.body).toBe(`${body.slice(0, 2048)}…`)
          }
          yield* expectBoundedLog
        }),
      slow
    )

    it.effect(
      "45 large unauthenticated POSTs, some over the limit, some chunked: 401 or 413, the log a few KB each",
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
                }),
                statusOf
              ),
            { concurrency: 5 }
          )
          expect(new Set(statuses)).toEqual(new Set([401, 413]))
          const logged = yield* emulator.requests
          expect(logged).toHaveLength(45)
          expect(JSON.stringify(logged).length).toBeLessThan(45 * 2_500)
          yield* emulator.clearRequests
        }),
      slow
    )

    it.effect(
      "JSON nested 4,000 and 100,000 levels deep, arrays or objects, whole or as a field: 400, nothing kept",
      () =>
        Effect.gen(function*() {
          const emulator = yield* Emulator.Emulator
          const before = yield* emulator.snapshot
          for (const depth of [4_000, 100_000]) {
            for (const [open, close] of [["[", "]"], ["{\"a\":", "}"]] as const) {
              const deep = `${open.repeat(depth)}1${close.repeat(depth)}`
              for (
                const [method, path, body] of [
                  ["POST", "/admin/teams", deep],
                  ["POST", "/admin/teams", `{"name":${deep},"organizationId":11}`],
                  ["PATCH", "/organizations/11", `{"name":${deep}}`]
                ] as const
              ) {
                const outcome = yield* exchange(yield* portOf, {
                  method,
                  target: api(path),
                  headers: [auth, ["Content-Type", "application/json"]],
                  body
                })
                expect(statusOf(outcome)).toBe(400)
                expect(bodyOf(outcome)).toMatchObject({ message: "Bad request", code: "IM015" })
              }
            }
          }
          expect(yield* emulator.snapshot).toBe(before)
          yield* expectBoundedLog
          yield* stillAnswers
        }),
      slow
    )

    it.effect(
      "lone surrogates and bytes that are not UTF-8: never a 5xx, and what was kept reads back as JSON",
      () =>
        Effect.gen(function*() {
          const port = yield* portOf
          const bodies: ReadonlyArray<string | Uint8Array> = [
            `{"name":"\\ud800","organizationId":11}`,
            `{"name":"a\\udc00b","organizationId":11}`,
            `{"name":"\ud800","organizationId":11}`,
            Buffer.concat([
              Buffer.from(`{"name":"`),
              Buffer.from([0xff, 0xfe, 0xc3]),
              Buffer.from(`","organizationId":11}`)
            ]),
            Buffer.from([0xff, 0xfe, 0x00, 0x7b]),
            Buffer.from([0xc0, 0xaf, 0xed, 0xa0, 0x80])
          ]
          for (const body of bodies) {
            for (const contentType of ["application/json", "application/json; charset=latin1"]) {
              const outcome = yield* exchange(port, {
                method: "POST",
                target: api("/admin/teams"),
                headers: [auth, ["Content-Type", contentType]],
                body
              })
              const status = statusOf(outcome)
              expect([200, 400]).toContain(status)
              if (outcome._tag === "Answer") expect(() => JSON.parse(outcome.answer.body)).not.toThrow()
            }
          }
          const listed = yield* exchange(port, {
            method: "GET",
            target: api("/admin/teams?organizationId=11"),
            headers: [auth]
          })
          expect(statusOf(listed)).toBe(200)
          expect(() => bodyOf(listed)).not.toThrow()
          yield* expectBoundedLog
        }),
      slow
    )

    it.effect(
      "query floods: past Node's 16 KB head a 431; under it 1,000 parameters or 1,000 cols[] are answered",
      () =>
        Effect.gen(function*() {
          const port = yield* portOf
          const flood = Array.from({ length: 20_000 }, (_, n) => `a${n}=${n}`).join("&")
          const over = yield* exchange(port, { method: "GET", target: api(`/organizations?${flood}`), headers: [auth] })
          expect(statusOf(over)).toBe(431)
          yield* stillAnswers
          const many = Array.from({ length: 1_000 }, (_, n) => `q${n}=${n}`).join("&")
          const cols = Array.from({ length: 1_000 }, () => "cols[]=id").join("&")
          const odd = `pg[limit]=${"9".repeat(400)}&pg[offset]=-1&pg[sortDir]=sideways&pg[sortBy]=__proto__`
          for (const query of [many, cols, odd, "__proto__=1&constructor=2", "a=%zz&%=1"]) {
            const outcome = yield* exchange(port, {
              method: "GET",
              target: api(`/organizations?${query}`),
              headers: [auth]
            })
            expect([200, 400]).toContain(statusOf(outcome))
            expect(() => bodyOf(outcome)).not.toThrow()
          }
          expect(Object.prototype).not.toHaveProperty("polluted")
          yield* expectBoundedLog
          yield* stillAnswers
        }),
      slow
    )
  })
  layer(Emulator.layerTest(), { excludeTestServices: true })("in process", (it) => {
    /** Sends through the in-process HttpClient: the status is one of `allowed`, the data untouched on a 4xx. */
    const rejectedInProcess = (request: HttpClientRequest.HttpClientRequest, allowed = documented) =>
      Effect.gen(function*() {
        const emulator = yield* Emulator.Emulator
        const client = yield* HttpClient.HttpClient
        const before = yield* emulator.snapshot
        const response = yield* client.execute(HttpClientRequest.prependUrl(request, Emulator.baseUrl))
        yield* response.text
        expect(allowed).toContain(response.status)
        if (response.status >= 400) expect(yield* emulator.snapshot).toBe(before)
        expect(JSON.stringify(yield* emulator.organizations)).not.toContain("polluted")
        yield* expectBoundedLog
      })

    it.effect.prop(
      "content types, bodies and paths: 400, 404 or 415, state unchanged",
      [writeIndex, unsupportedTypes, badBody, Schema.Boolean, Schema.Boolean, badSegment],
      ([write, type, body, typed, segmented, segment]) => {
        const [method, path, valid] = writeAt(write)
        const useType = typed && type !== ""
        const target = segmented ? `${path}/${segment}` : path
        return rejectedInProcess(
          HttpClientRequest.make(method)(target).pipe(
            HttpClientRequest.setHeader("Authorization", `Token ${token}`),
            HttpClientRequest.bodyText(useType ? valid : body, useType ? type : "application/json")
          ),
          !useType && !segmented && isEmptyPatch(method, body) ? [200, 400, 404] : [400, 404, 415]
        )
      },
      runs(100)
    )

    it.effect.prop(
      "auth schemes in process: 401, state unchanged",
      [Schema.Literals([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]), authorizationIndex],
      ([request, authorization]) => {
        const [method, path, body] = request < writes.length
          ? writeAt(request)
          : ["GET", reads[request - writes.length] ?? "/organizations", undefined] as const
        // Headers that fetch can carry: printable, one value per name (duplicates are covered on the port).
        const headers = (authorizations[authorization] ?? []).filter(([, value]) => /^[\x20-\x7e]*$/.test(value))
        return rejectedInProcess(
          HttpClientRequest.make(method)(path).pipe(
            HttpClientRequest.setHeaders(Object.fromEntries(headers.slice(0, 1))),
            (r) => body === undefined ? r : HttpClientRequest.bodyText(r, body, "application/json")
          ),
          [401]
        )
      },
      runs(40)
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
    const entry = (n: number): RecordedRequest => ({
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

    layer(Emulator.layerTest())((it) => {
      it.effect(
        "past its capacity the oldest entries go, a thousand at a time, and are counted",
        () =>
          Effect.sync(() => {
            const log = Array.from({ length: RequestLog.capacity + 1 }, (_, n) => entry(n)).reduce(
              (log, next) => RequestLog.append(next)(log),
              RequestLog.empty
            )
            expect(RequestLog.capacity).toBe(10_000)
            expect(Chunk.size(log.entries)).toBe(RequestLog.capacity - RequestLog.dropBatch + 1)
            expect(log.dropped).toBe(RequestLog.dropBatch)
            expect(Chunk.toReadonlyArray(log.entries)[0]?.at).toBe(RequestLog.dropBatch)
            expect(Chunk.toReadonlyArray(log.entries).at(-1)?.at).toBe(RequestLog.capacity)
          }),
        slow
      )
    })
  })
})
