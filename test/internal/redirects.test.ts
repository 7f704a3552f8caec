// The redirect stage on its own: a 3xx fails with UnexpectedResponse naming where it pointed (query, fragment and
// credentials never shown), or, followed, is sent on as fetch would, the token dropped, bounded by maxRedirects.
import { describe, expect, it } from "@effect/vitest"
import { Effect, Schema } from "effect"
import { HttpClientRequest, HttpClientResponse } from "effect/http"
import * as Redirects from "../../src/internal/redirects.js"

const token = "Token 7e57ab1e-8a9e-4c1b-9d2e-3f4a5b6c7d8e"

/** A hop as the next attempt saw it. */
interface Hop {
  readonly method: string
  readonly url: string
  readonly authorization: string | undefined
  readonly contentType: string | undefined
  readonly body: string
}

const answer = (request: HttpClientRequest.HttpClientRequest, status: number, location?: string) =>
  HttpClientResponse.fromWeb(
    request,
    new Response(status === 200 ? "{}" : null, { status, headers: location === undefined ? {} : { location } })
  )

/**
 * Runs the stage over `first` sent to Make, each hop answered by `route` (status and Location by URL); the hops the
 * stage sent, and what it returned.
 */
const follow = (
  maxRedirects: number,
  first: HttpClientRequest.HttpClientRequest,
  route: (url: string) => readonly [number, (string | undefined)?]
) =>
  Effect.gen(function*() {
    const hops: Array<Hop> = []
    const send = (request: HttpClientRequest.HttpClientRequest) =>
      Effect.sync(() => {
        const body = request.body._tag === "Uint8Array" ? new TextDecoder().decode(request.body.body) : ""
        hops.push({
          method: request.method,
          url: request.url,
          authorization: request.headers["authorization"],
          contentType: request.headers["content-type"],
          body
        })
        const [status, location] = route(request.url)
        return answer(request, status, location)
      })
    const [status, location] = route(first.url)
    const result = yield* Effect.result(
      Redirects.withRedirects({ maxRedirects }, send)(Effect.succeed(answer(first, status, location)), first)
    )
    return { hops, result }
  })

const getOrg = HttpClientRequest.get("https://eu1.make.com/api/v2/organizations/11", {
  headers: { authorization: token }
})
const postOrg = HttpClientRequest.post("https://eu1.make.com/api/v2/organizations", {
  headers: { authorization: token }
}).pipe(HttpClientRequest.bodyText("{\"name\":\"New\"}", "application/json"))

describe("not followed (the default)", () => {
  it.effect("a 3xx fails with UnexpectedResponse naming where it pointed; nothing is sent", () =>
    Effect.gen(function*() {
      const { hops, result } = yield* follow(0, getOrg, () => [301, "https://elsewhere.example/api/v2/orgs/11"])
      expect(result).toMatchObject({
        _tag: "Failure",
        failure: {
          _tag: "UnexpectedResponse",
          status: 301,
          reason: "a redirect to https://elsewhere.example/api/v2/orgs/11, which this client does not " +
            "follow (see followRedirects)",
          excerpt: "GET /api/v2/organizations/11"
        }
      })
      expect(hops).toEqual([])
    }))

  it.effect("what the Location shows: origin and path; its query, fragment and credentials are never shown", () =>
    Effect.gen(function*() {
      const { result } = yield* follow(0, getOrg, () => [302, "https://user:secret@elsewhere.example/x?token=abc#f"])
      expect(result).toMatchObject({
        failure: {
          reason: "a redirect to https://elsewhere.example/x?…, which this client does not follow (see followRedirects)"
        }
      })
      expect(JSON.stringify(result)).not.toMatch(/secret|token=abc/)
    }))

  it.effect("no Location, or one that is not http(s) or not a URL: a redirect without a usable Location", () =>
    Effect.gen(function*() {
      for (const location of [undefined, "javascript:alert(1)", "ftp://elsewhere.example/", "http://[::1"]) {
        const { result } = yield* follow(5, getOrg, () => [307, location])
        expect(result).toMatchObject({
          failure: { status: 307, reason: "a redirect without a usable Location header" }
        })
      }
    }))

  it.prop(
    "a status outside 300–399 passes through untouched, Location or not",
    [Schema.Int.check(Schema.isBetween({ minimum: 200, maximum: 599 }))],
    ([status]) => {
      if (status >= 300 && status <= 399) return
      const result = Effect.runSync(follow(0, getOrg, () => [status, "https://elsewhere.example/"]))
      expect(result.result).toMatchObject({ _tag: "Success", success: { status } })
      expect(result.hops).toEqual([])
    }
  )
})

describe("followed", () => {
  it.effect("a 303 after a POST is a GET elsewhere, without the token, the body or its type", () =>
    Effect.gen(function*() {
      const { hops, result } = yield* follow(
        5,
        postOrg,
        (url) => url.startsWith("https://eu1.make.com/") ? [303, "https://elsewhere.example/done"] : [200]
      )
      expect(result).toMatchObject({ _tag: "Success", success: { status: 200 } })
      expect(hops).toEqual([{
        method: "GET",
        url: "https://elsewhere.example/done",
        authorization: undefined,
        contentType: undefined,
        body: ""
      }])
    }))

  it.effect("307 and 308 keep method and body (the token dropped); 301 and 302 turn only a POST into a GET", () =>
    Effect.gen(function*() {
      for (const status of [307, 308]) {
        const { hops } = yield* follow(5, postOrg, (url) => url.includes("/api/v2/") ? [status, "/v3/orgs"] : [200])
        expect(hops).toEqual([{
          method: "POST",
          url: "https://eu1.make.com/v3/orgs",
          authorization: undefined,
          contentType: "application/json",
          body: "{\"name\":\"New\"}"
        }])
      }
      for (const status of [301, 302]) {
        const posted = yield* follow(5, postOrg, (url) => url.includes("/api/v2/") ? [status, "/v3/orgs"] : [200])
        expect(posted.hops.map(({ method }) => method)).toEqual(["GET"])
        const patch = HttpClientRequest.patch("https://eu1.make.com/api/v2/organizations/11")
        const patched = yield* follow(5, patch, (url) => url.includes("/api/v2/") ? [status, "/v3/orgs/11"] : [200])
        expect(patched.hops.map(({ method }) => method)).toEqual(["PATCH"])
      }
      const head = HttpClientRequest.head("https://eu1.make.com/api/v2/organizations/11")
      const headed = yield* follow(5, head, (url) => url.includes("/api/v2/") ? [303, "/v3/orgs/11"] : [200])
      expect(headed.hops.map(({ method }) => method)).toEqual(["HEAD"])
    }))

  it.effect("past maxRedirects hops: UnexpectedResponse naming the count and the last Location", () =>
    Effect.gen(function*() {
      let n = 0
      const { hops, result } = yield* follow(2, getOrg, () => [302, `https://eu1.make.com/loop/${++n}?k=v`])
      // the query goes to the request's URL parameters, not its url
      expect(hops.map(({ url }) => url)).toEqual(["https://eu1.make.com/loop/1", "https://eu1.make.com/loop/2"])
      expect(result).toMatchObject({
        failure: {
          status: 302,
          reason: "more than 2 redirects in a row, the last to https://eu1.make.com/loop/3?…",
          excerpt: "GET /api/v2/organizations/11"
        }
      })
    }))

  // Effect 4 types a request's method as any string; one Effect does not know cannot be resent as it was.
  it.effect("a 307 of a request whose method is not an HTTP method Effect knows fails instead of changing it", () =>
    Effect.gen(function*() {
      const odd = HttpClientRequest.fromWeb(new Request("https://eu1.make.com/api/v2/x", { method: "PROPFIND" }))
      const { hops, result } = yield* follow(5, odd, () => [307, "/elsewhere"])
      expect(hops).toEqual([])
      expect(result).toMatchObject({
        failure: { status: 307, reason: "a redirect of a PROPFIND request, which cannot be resent" }
      })
    }))
})
