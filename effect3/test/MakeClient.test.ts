// The pipeline over a stub HttpClient: base URL and auth header, status and body mapping, timeouts, narrowing,
// spans, and the token kept out of everything a user can print.
import { HttpClient, HttpClientError, HttpClientRequest, HttpClientResponse } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import type { Tracer } from "effect"
import { Effect, Fiber, Layer, Option, Redacted, Ref, Schema, TestClock } from "effect"
import * as MakeClient from "../src/MakeClient.js"
import * as Organizations from "../src/Organizations.js"

const secret = "6f1d3c52-8a9e-4c1b-9d2e-3f4a5b6c7d8e"

interface Seen {
  readonly request: HttpClientRequest.HttpClientRequest
  readonly url: string
  readonly spans: ReadonlyArray<string>
}

const spanNames = (span: Option.Option<Tracer.AnySpan>): ReadonlyArray<string> =>
  Option.match(span, {
    onNone: () => [],
    onSome: (s) => [s._tag === "Span" ? s.name : "external", ...spanNames(s._tag === "Span" ? s.parent : Option.none())]
  })

/** An HttpClient that records what it is asked and answers with `answer`. */
const stub = (
  seen: Ref.Ref<ReadonlyArray<Seen>>,
  answer: (url: string) => Effect.Effect<Response, HttpClientError.HttpClientError>
) =>
  Layer.succeed(
    HttpClient.HttpClient,
    HttpClient.make((request, url) =>
      Effect.gen(function*() {
        const spans = spanNames(yield* Effect.option(Effect.currentSpan))
        yield* Ref.update(seen, (all) => [...all, { request, url: url.toString(), spans }])
        return HttpClientResponse.fromWeb(request, yield* answer(url.toString()))
      })
    )
  )

const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  Effect.succeed(
    new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } })
  )

const organization = { id: 11, name: "Acme", timezoneId: 113, operations: "0" }

const withStub = (
  answer: (url: string) => Effect.Effect<Response, HttpClientError.HttpClientError>,
  options?: Partial<MakeClient.Options>
) =>
<A, E>(test: (seen: Ref.Ref<ReadonlyArray<Seen>>) => Effect.Effect<A, E, Organizations.Organizations>) =>
  Effect.gen(function*() {
    const seen = yield* Ref.make<ReadonlyArray<Seen>>([])
    const layer = Organizations.layer.pipe(
      Layer.provide(
        MakeClient.layer({ token: Redacted.make(secret), zone: "eu1.make.com", timeout: "10 seconds", ...options })
      ),
      Layer.provide(stub(seen, answer))
    )
    return yield* Effect.provide(test(seen), layer)
  })

describe("MakeClient pipeline", () => {
  it.effect("sends to https://{zone}/api/v2 with Authorization: Token and Accept: application/json", () =>
    withStub(() => json({ organization }))((seen) =>
      Effect.gen(function*() {
        const orgs = yield* Organizations.Organizations
        const org = yield* orgs.get(11, { wait: true })
        expect(org.name).toBe("Acme")
        expect(org.operations).toBe(0)
        const [first] = yield* Ref.get(seen)
        expect(first?.url).toBe("https://eu1.make.com/api/v2/organizations/11?wait=true")
        expect(first?.request.method).toBe("GET")
        expect(first?.request.headers["authorization"]).toBe(`Token ${secret}`)
        expect(first?.request.headers["accept"]).toBe("application/json")
      })
    ))

  it.effect("transformClient never sees the token, and a request it sends elsewhere carries none", () =>
    Effect.gen(function*() {
      const hookSaw = yield* Ref.make<ReadonlyArray<string | undefined>>([])
      const toElsewhere = (request: HttpClientRequest.HttpClientRequest) =>
        request.url.endsWith("/organizations/12")
          ? HttpClientRequest.setUrl(request, "https://evil.example.com/x")
          : request
      yield* withStub(() => json({ organization }), {
        transformClient: (client) =>
          client.pipe(
            HttpClient.tapRequest((request) =>
              Ref.update(hookSaw, (all) => [...all, request.headers["authorization"]])
            ),
            HttpClient.mapRequest(toElsewhere)
          )
      })((seen) =>
        Effect.gen(function*() {
          const orgs = yield* Organizations.Organizations
          yield* orgs.get(11)
          yield* orgs.get(12)
          const sent = yield* Ref.get(seen)
          expect(sent.map((s) => [s.url, s.request.headers["authorization"]])).toEqual([
            ["https://eu1.make.com/api/v2/organizations/11", `Token ${secret}`],
            ["https://evil.example.com/x", undefined]
          ])
        })
      )
      expect(yield* Ref.get(hookSaw)).toEqual([undefined, undefined])
    }))

  it.effect("over any platform HttpClient the request carries the traceparent of the caller's trace", () =>
    withStub(() => json({ organization }))((seen) =>
      Effect.gen(function*() {
        const orgs = yield* Organizations.Organizations
        const caller = yield* Effect.withSpan(Effect.zipLeft(Effect.orDie(Effect.currentSpan), orgs.get(11)), "caller")
        const [first] = yield* Ref.get(seen)
        expect(first?.request.headers["traceparent"]).toMatch(new RegExp(`^00-${caller.traceId}-[0-9a-f]{16}-01$`))
      })
    ))

  it.effect("every call runs in a span Make.<Service>.<method>", () =>
    withStub(() => json({ organization }))((seen) =>
      Effect.gen(function*() {
        const orgs = yield* Organizations.Organizations
        yield* orgs.get(11)
        const [first] = yield* Ref.get(seen)
        expect(first?.spans).toContain("Make.Organizations.get")
      })
    ))

  it.effect("a 404 becomes NotFound with the resource and id of the call", () =>
    withStub(() => json({ detail: "Organization not found.", message: "Not found", code: "SC404" }, 404))(() =>
      Effect.gen(function*() {
        const orgs = yield* Organizations.Organizations
        const error = yield* Effect.flip(orgs.get(42))
        expect(error._tag).toBe("NotFound")
        expect(error).toMatchObject({ status: 404, code: "SC404", resource: "organization", id: 42 })
        expect(error.message).toContain("Organization 42 was not found")
      })
    ))

  it.effect("a 404 where the method expects none is an UnexpectedResponse, not a silent NotFound", () =>
    withStub(() => json({ detail: "No route.", message: "Not found", code: "SC404" }, 404))(() =>
      Effect.gen(function*() {
        const orgs = yield* Organizations.Organizations
        const error = yield* Effect.flip(orgs.list())
        expect(error._tag).toBe("UnexpectedResponse")
        expect(error.message).toContain("Organizations.list does not expect NotFound")
      })
    ))

  it.effect("a 2xx body that is not JSON is an UnexpectedResponse", () =>
    withStub(() => Effect.succeed(new Response("<html>maintenance</html>", { status: 200 })))(() =>
      Effect.gen(function*() {
        const orgs = yield* Organizations.Organizations
        const error = yield* Effect.flip(orgs.get(11))
        expect(error).toMatchObject({ _tag: "UnexpectedResponse", status: 200 })
      })
    ))

  it.effect("a 2xx status the call does not answer with is an UnexpectedResponse with that status", () =>
    withStub(() => json({ organization }, 202))(() =>
      Effect.gen(function*() {
        const orgs = yield* Organizations.Organizations
        const error = yield* Effect.flip(orgs.get(11))
        expect(error).toMatchObject({
          _tag: "UnexpectedResponse",
          status: 202,
          reason: "status 202, which this call does not answer with"
        })
      })
    ))

  it.effect("an error body that echoes the token reaches no error field", () =>
    withStub(() => json({ detail: `Bad header: Token ${secret}`, message: "Not found", code: "SC404" }, 404))(() =>
      Effect.gen(function*() {
        const orgs = yield* Organizations.Organizations
        const error = yield* Effect.flip(orgs.get(11))
        expect(error).toMatchObject({ _tag: "NotFound", status: 404, detail: "Bad header: Token <redacted>" })
        for (const printed of [error.message, String(error), JSON.stringify(error)]) {
          expect(printed).not.toContain(secret)
        }
      })
    ))

  it.effect("a body that fails the schema is an UnexpectedResponse with an excerpt, never the token", () =>
    withStub(() => json({ organization: { id: "eleven", name: secret } }))(() =>
      Effect.gen(function*() {
        const orgs = yield* Organizations.Organizations
        const error = yield* Effect.flip(orgs.get(11))
        expect(error._tag).toBe("UnexpectedResponse")
        if (error._tag !== "UnexpectedResponse") return
        expect(error.excerpt).toContain("eleven")
        expect(error.excerpt.length).toBeLessThanOrEqual(301)
        for (const printed of [error.message, String(error), JSON.stringify(error), error.excerpt]) {
          expect(printed).not.toContain(secret)
        }
      })
    ))

  it.effect("a 401 is Unauthorized, and no printed form of it holds the token", () =>
    withStub(() => json({ detail: "Invalid token.", message: "Unauthorized", code: "SC401" }, 401))(() =>
      Effect.gen(function*() {
        const orgs = yield* Organizations.Organizations
        const error = yield* Effect.flip(orgs.get(11))
        expect(error).toMatchObject({ _tag: "Unauthorized", status: 401, detail: "Invalid token." })
        for (const printed of [error.message, String(error), JSON.stringify(error), error.stack ?? ""]) {
          expect(printed).not.toContain(secret)
        }
      })
    ))

  it.effect("no response within the timeout is a TransportError (TestClock, no real wait)", () =>
    withStub(() => Effect.never, { retry: "off" })(() =>
      Effect.gen(function*() {
        const orgs = yield* Organizations.Organizations
        const fiber = yield* Effect.fork(Effect.flip(orgs.get(11)))
        yield* TestClock.adjust("10 seconds")
        const error = yield* Fiber.join(fiber)
        expect(error._tag).toBe("TransportError")
        expect(error).toMatchObject({ reason: "Timeout", request: "GET /api/v2/organizations/11" })
      })
    ))

  it.effect("a connection failure is a TransportError", () =>
    withStub((url) =>
      Effect.fail(
        new HttpClientError.RequestError({
          request: HttpClientRequest.get(url),
          reason: "Transport",
          description: "connect ECONNREFUSED"
        })
      ), { retry: "off" })(() =>
        Effect.gen(function*() {
          const orgs = yield* Organizations.Organizations
          const error = yield* Effect.flip(orgs.get(11))
          expect(error).toMatchObject({
            _tag: "TransportError",
            reason: "Connection",
            description: "connect ECONNREFUSED"
          })
        })
      ))

  it.effect("bad arguments fail with InvalidInput and nothing is sent", () =>
    withStub(() => json({ organization }))((seen) =>
      Effect.gen(function*() {
        const orgs = yield* Organizations.Organizations
        const error = yield* Effect.flip(orgs.get(0))
        expect(error._tag).toBe("InvalidInput")
        expect(error.message).toContain("Organizations.get")
        const listError = yield* Effect.flip(orgs.list({ offset: -1, limit: 1.5 }))
        expect(listError._tag).toBe("InvalidInput")
        if (listError._tag === "InvalidInput") {
          // every problem is reported at once, each with the path of the argument
          expect(listError.issues.some((issue) => issue.startsWith("offset:"))).toBe(true)
          expect(listError.issues.some((issue) => issue.startsWith("limit:"))).toBe(true)
        }
        expect(yield* Ref.get(seen)).toEqual([])
      })
    ))
})

describe("parseRetryAfter", () => {
  it("reads delay-seconds and HTTP dates", () => {
    const now = Date.parse("2026-11-24T12:00:00Z")
    expect(MakeClient.parseRetryAfter("3", now)).toBe(3000)
    expect(MakeClient.parseRetryAfter("Tue, 24 Nov 2026 12:00:05 GMT", now)).toBe(5000)
    expect(MakeClient.parseRetryAfter("soon", now)).toBeUndefined()
    expect(MakeClient.parseRetryAfter(undefined, now)).toBeUndefined()
  })

  it.prop(
    "each HTTP-date form of one instant reads as that instant, whatever the machine's time zone (asctime says none)",
    [
      Schema.Int.pipe(Schema.between(0, 3_599)),
      Schema.Literal("UTC", "Pacific/Kiritimati", "America/Los_Angeles", "Asia/Kolkata")
    ],
    ([seconds, zone]) => {
      const nowMillis = Date.UTC(2026, 10, 24, 12, 0, 0)
      const at = new Date(nowMillis + seconds * 1000)
      const [weekday = "", day = "", month = "", year = "", time = ""] = at.toUTCString().replace(",", "").split(" ")
      const forms = [
        at.toUTCString(),
        `${at.toLocaleDateString("en-US", { weekday: "long", timeZone: "UTC" })}, ${day}-${month}-${
          year.slice(2)
        } ${time} GMT`,
        `${weekday} ${month} ${String(at.getUTCDate()).padStart(2, " ")} ${time} ${year}`
      ]
      const before = process.env["TZ"]
      process.env["TZ"] = zone
      try {
        for (const form of forms) {
          expect([form, MakeClient.parseRetryAfter(form, nowMillis)]).toEqual([form, seconds * 1000])
        }
      } finally {
        if (before === undefined) delete process.env["TZ"]
        else process.env["TZ"] = before
      }
    }
  )
})
