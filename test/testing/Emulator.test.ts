// The Effect 4 emulator over HTTP, through the in-process layer and a raw HttpClient: statuses and Make's bodies
// (401/404/406/400/413/415/429), the request log, the sync delay and the rate limit on TestClock, the documents.
import { assert, describe, expect, it } from "@effect/vitest"
import { Duration, Effect, Fiber, Option, Redacted } from "effect"
import { FetchHttpClient, HttpClient, HttpClientRequest, HttpServer } from "effect/http"
import { HttpApiClient } from "effect/http-api"
import { TestClock } from "effect/testing"
import { MakeHttpApi } from "../../src/api/MakeHttpApi.js"
import * as Emulator from "../../src/testing/Emulator.js"

const secret = Redacted.value(Emulator.defaultToken)
const withToken = (value: string = secret) => HttpClientRequest.setHeader("authorization", `Token ${value}`)

interface Answer {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly body: unknown
}

const send = (request: HttpClientRequest.HttpClientRequest): Effect.Effect<Answer, unknown, HttpClient.HttpClient> =>
  Effect.gen(function*() {
    const client = yield* HttpClient.HttpClient
    const response = yield* client.execute(HttpClientRequest.prependUrl(request, Emulator.baseUrl))
    const text = yield* response.text
    return { status: response.status, headers: response.headers, body: text === "" ? undefined : JSON.parse(text) }
  })

const get = (path: string, query: Record<string, string> = {}) =>
  send(HttpClientRequest.get(path).pipe(HttpClientRequest.setUrlParams(query), withToken()))
const post = (path: string, body: unknown) =>
  send(HttpClientRequest.post(path).pipe(HttpClientRequest.bodyJsonUnsafe(body), withToken()))
const del = (path: string, query: Record<string, string> = {}) =>
  send(HttpClientRequest.delete(path).pipe(HttpClientRequest.setUrlParams(query), withToken()))

const organizationNotFound = { detail: "Organization not found.", message: "Not found", code: "SC404" }
const newOrganization = { name: "Fresh", regionId: 1, timezoneId: 113, countryId: 1 }

describe("Emulator over HTTP", () => {
  it.effect("a wrong, missing or Bearer token is a 401 with Make's body", () =>
    Effect.gen(function*() {
      const wrong = yield* send(HttpClientRequest.get("/organizations").pipe(withToken("not-the-token")))
      expect(wrong).toMatchObject({
        status: 401,
        body: { detail: "Invalid credentials.", message: "Access denied", code: "SC401" }
      })
      expect((yield* send(HttpClientRequest.get("/admin/teams?organizationId=11"))).status).toBe(401)
      const bearer = yield* send(HttpClientRequest.get("/organizations").pipe(HttpClientRequest.bearerToken(secret)))
      expect(bearer.status).toBe(401)
    }).pipe(Effect.provide(Emulator.layerTest())))

  it.effect("an unknown organization, team or route is a 404 with Make's body", () =>
    Effect.gen(function*() {
      expect(yield* get("/organizations/999")).toMatchObject({ status: 404, body: organizationNotFound })
      expect(yield* get("/admin/teams", { organizationId: "999" })).toMatchObject({
        status: 404,
        body: organizationNotFound
      })
      const team = yield* send(
        HttpClientRequest.patch("/admin/teams/999").pipe(HttpClientRequest.bodyJsonUnsafe({ name: "x" }), withToken())
      )
      expect(team).toMatchObject({ status: 404, body: { detail: "Team not found.", message: "Not found" } })
      expect(yield* get("/no-such-endpoint")).toMatchObject({
        status: 404,
        body: { detail: "The requested endpoint does not exist.", message: "Not found", code: "SC404" }
      })
    }).pipe(Effect.provide(Emulator.layerTest())))

  it.effect("requests the contract rejects are Make's 400 with one suberror per problem, named as sent", () =>
    Effect.gen(function*() {
      const missing = yield* post("/organizations", { name: "No region" })
      expect(missing).toMatchObject({
        status: 400,
        body: { detail: "Validation failed for 3 parameter(s).", message: "Bad request", code: "IM015" }
      })
      const messages = (missing.body as { suberrors: ReadonlyArray<{ message: string }> }).suberrors.map((s) =>
        s.message.split(":")[0]
      )
      expect([...messages].sort()).toEqual(["countryId", "regionId", "timezoneId"])
      const empty = yield* send(HttpClientRequest.post("/organizations").pipe(withToken()))
      expect(empty.status).toBe(400)
      expect((empty.body as { suberrors: ReadonlyArray<unknown> }).suberrors).toHaveLength(4)
      const limit = yield* get("/organizations", { "pg[limit]": "abc" })
      expect(limit).toMatchObject({
        status: 400,
        body: { suberrors: [{ message: expect.stringMatching(/^pg\[limit\]: /) }] }
      })
      const path = yield* get("/organizations/eleven")
      expect(path).toMatchObject({
        status: 400,
        body: { suberrors: [{ message: expect.stringMatching(/^organizationId: /) }] }
      })
      const notJson = yield* send(
        HttpClientRequest.post("/admin/teams").pipe(
          HttpClientRequest.bodyText("{oops", "application/json"),
          withToken()
        )
      )
      expect(notJson).toMatchObject({
        status: 400,
        body: { code: "IM015", suberrors: [{ message: "body: expected a JSON body" }] }
      })
      expect(JSON.stringify([missing, empty, limit, path, notJson])).not.toContain("_tag")
    }).pipe(Effect.provide(Emulator.layerTest())))

  it.effect("DELETE without confirmed on an organization with active scenarios is 406 IM004 and changes nothing", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.Emulator
      const before = yield* emulator.snapshot
      const refused = yield* del("/organizations/11")
      expect(refused).toMatchObject({ status: 406, body: { code: "IM004", message: "Confirmation required" } })
      assert.strictEqual(yield* emulator.snapshot, before)
      expect(yield* del("/organizations/11", { confirmed: "true" })).toMatchObject({
        status: 200,
        body: { organization: 11 }
      })
      expect(yield* emulator.organization(11)).toEqual(Option.none())
    }).pipe(Effect.provide(Emulator.layerTest())))

  it.effect("415 for a body that is not JSON, 413 past 1 MiB: refused before the token is looked at, not kept", () =>
    Effect.gen(function*() {
      const text = yield* send(
        HttpClientRequest.post("/organizations").pipe(HttpClientRequest.bodyText("hi", "text/plain"))
      )
      expect(text).toMatchObject({
        status: 415,
        body: {
          detail: "Content type \"text/plain\" is not supported; send application/json.",
          message: "Unsupported media type",
          code: "SC415"
        }
      })
      const huge = `{"name":"${"x".repeat(Emulator.maxRequestBodyBytes)}"}`
      const large = yield* send(
        HttpClientRequest.post("/organizations").pipe(HttpClientRequest.bodyText(huge, "application/json"), withToken())
      )
      expect(large).toMatchObject({ status: 413, body: { message: "Payload too large", code: "SC413" } })
      const logged = yield* Emulator.requests
      expect(logged.map((r) => [r.status, r.body, r.processed])).toEqual([[415, undefined, false], [
        413,
        undefined,
        false
      ]])
      expect(logged[1]?.bodyBytes).toBe(huge.length)
      expect((yield* Emulator.Emulator.pipe(Effect.flatMap((e) => e.organizations))).length).toBe(3)
    }).pipe(Effect.provide(Emulator.layerTest())))

  it.effect("the request log records every request with Make's raw query names and the body, never the token", () =>
    Effect.gen(function*() {
      yield* get("/organizations", { "pg[limit]": "1", "cols[]": "id" })
      yield* post("/admin/teams", { organizationId: 11, name: "Ops" })
      yield* send(HttpClientRequest.get("/organizations").pipe(withToken("wrong")))
      const logged = yield* Emulator.requests
      expect(logged.map(({ at: _at, ...entry }) => entry)).toEqual([
        {
          method: "GET",
          path: "/organizations",
          query: { "pg[limit]": "1", "cols[]": ["id"] },
          body: undefined,
          bodyBytes: 0,
          status: 200,
          authenticated: true,
          processed: true,
          aborted: false
        },
        {
          method: "POST",
          path: "/admin/teams",
          query: {},
          body: { organizationId: 11, name: "Ops" },
          bodyBytes: JSON.stringify({ organizationId: 11, name: "Ops" }).length,
          status: 200,
          authenticated: true,
          processed: true,
          aborted: false
        },
        {
          method: "GET",
          path: "/organizations",
          query: {},
          body: undefined,
          bodyBytes: 0,
          status: 401,
          authenticated: false,
          processed: true,
          aborted: false
        }
      ])
      expect(JSON.stringify(logged)).not.toContain(secret)
      expect(JSON.stringify(logged)).not.toContain("wrong")
    }).pipe(Effect.provide(Emulator.layerTest())))

  it.effect("a new organization is a 404 until synchronised; wait=true waits for it (TestClock)", () =>
    Effect.gen(function*() {
      const created = yield* post("/organizations", newOrganization)
      expect(created).toMatchObject({ status: 200, body: { organization: { id: 26, name: "Fresh" } } })
      expect(yield* get("/organizations/26")).toMatchObject({ status: 404, body: { code: "SC404" } })
      const waiting = yield* Effect.forkChild(get("/organizations/26", { wait: "true" }))
      yield* TestClock.adjust("1 second")
      expect(waiting.pollUnsafe()).toBeUndefined()
      yield* TestClock.adjust("1 second")
      expect(yield* Fiber.join(waiting)).toMatchObject({ status: 200, body: { organization: { id: 26 } } })
      expect((yield* get("/organizations/26")).status).toBe(200)
    }).pipe(Effect.provide(Emulator.layerTest())))

  it.effect("the sync delay is configurable", () =>
    Effect.gen(function*() {
      yield* post("/organizations", newOrganization)
      yield* TestClock.adjust("9 seconds")
      expect((yield* get("/organizations/26")).status).toBe(404)
      yield* TestClock.adjust("1 second")
      expect((yield* get("/organizations/26")).status).toBe(200)
    }).pipe(Effect.provide(Emulator.layerTest({ syncDelay: "10 seconds" }))))

  it.effect("the rate limit: per organization per sliding minute, 429 with Retry-After, only authenticated requests count", () =>
    Effect.gen(function*() {
      expect((yield* get("/organizations/11")).status).toBe(200)
      yield* TestClock.adjust("20 seconds")
      // Without the token: a 401 that spends nothing.
      yield* send(HttpClientRequest.get("/organizations/11"))
      expect((yield* get("/organizations/11/apps")).status).toBe(200)
      const limited = yield* get("/organizations/11")
      expect(limited).toMatchObject({
        status: 429,
        headers: { "retry-after": "40" },
        body: {
          detail: "Requests limit for organization exceeded, please try again later.",
          message: "Too many requests",
          code: "SC429"
        }
      })
      // Another organization has its own minute.
      expect((yield* get("/organizations/12")).status).toBe(200)
      // A minute after the first request, it has left the window: one more is admitted.
      yield* TestClock.adjust("40 seconds")
      expect((yield* get("/organizations/11")).status).toBe(200)
      expect((yield* get("/organizations/11")).status).toBe(429)
      const logged = yield* Emulator.requests
      expect(logged.filter((r) => r.status === 429).map((r) => [r.fault, r.processed])).toEqual([
        ["rateLimit", false],
        ["rateLimit", false]
      ])
    }).pipe(Effect.provide(Emulator.layerTest({ rateLimit: { perMinute: 2 } }))))

  it.effect("/openapi.json and /docs are served at the root, without the token", () =>
    Effect.gen(function*() {
      const client = yield* HttpClient.HttpClient
      const origin = Emulator.baseUrl.slice(0, -Emulator.basePath.length)
      const document = yield* client.get(`${origin}/openapi.json`)
      expect(document.status).toBe(200)
      expect(yield* document.json).toMatchObject({ openapi: "3.1.0", info: { version: "2" } })
      const docs = yield* client.get(`${origin}/docs`)
      expect(docs.status).toBe(200)
      const page = yield* docs.text
      expect(page).toContain("swagger")
      expect(page).not.toMatch(/<script[^>]+src="https?:/)
      // The documents are not part of the API: under the base URL they are an unknown route.
      expect((yield* get("/openapi.json")).status).toBe(404)
    }).pipe(Effect.provide(Emulator.layerTest())))

  it.effect("the sync delay default is Effect 3's two seconds", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.Emulator
      expect(Duration.toMillis(emulator.settings.syncDelay)).toBe(2000)
    }).pipe(Effect.provide(Emulator.layerTest())))
  it.effect("every answer decodes with the contract's own derived client (typed errors included)", () =>
    Effect.gen(function*() {
      const client = yield* HttpApiClient.make(MakeHttpApi, {
        baseUrl: Emulator.baseUrl,
        transformClient: HttpClient.mapRequest(withToken())
      })
      const list = yield* client.organizations.list({ query: { limit: 2, cols: ["id", "name", "license"] } })
      expect(list.organizations.map((org) => org.id)).toEqual([11, 12])
      const created = yield* client.organizations.create({
        payload: { name: "Typed", regionId: 1, timezoneId: 113, countryId: 1 }
      })
      const id = created.organization.id
      const early = yield* Effect.flip(client.organizations.get({ params: { organizationId: id }, query: {} }))
      expect(early._tag).toBe("NotFound")
      yield* TestClock.adjust("2 seconds")
      const got = yield* client.organizations.get({ params: { organizationId: id }, query: {} })
      expect(got.organization.operations).toBe(0)
      const updated = yield* client.organizations.update({ params: { organizationId: 12 }, payload: { name: "Beta" } })
      expect(updated.organization.license?.apps).toEqual(["T2"])
      const refused = yield* Effect.flip(client.organizations.delete({ params: { organizationId: 11 }, query: {} }))
      expect(refused).toMatchObject({ _tag: "NotConfirmed", code: "IM004", status: 406 })
      yield* client.organizations.delete({ params: { organizationId: 11 }, query: { confirmed: true } })

      const team = yield* client.adminTeams.create({ payload: { name: "Typed team", organizationId: 12 } })
      const renamed = yield* client.adminTeams.update({
        params: { teamId: team.team.id },
        payload: { name: "Renamed" }
      })
      expect(renamed.name).toBe("Renamed")
      yield* client.adminTeams.delete({ params: { teamId: team.team.id } })
      const teams = yield* client.adminTeams.list({ query: { organizationId: 12 } })
      expect(teams.teams.map((t) => [t.name, t.deleted])).toEqual([["My Team", false], ["Renamed", true]])
      const invalid = yield* Effect.flip(client.adminTeams.list({ query: { organizationId: 999 } }))
      expect(invalid).toMatchObject({ _tag: "NotFound", status: 404 })
      const anonymous = yield* HttpApiClient.make(MakeHttpApi, { baseUrl: Emulator.baseUrl })
      const unauthorized = yield* Effect.flip(anonymous.organizations.list({ query: {} }))
      expect(unauthorized).toMatchObject({ _tag: "Unauthorized", status: 401 })
    }).pipe(Effect.provide(Emulator.layerTest())))

  it.effect("Emulator.layer serves the same app on a port of the loopback interface", () =>
    Effect.gen(function*() {
      const server = yield* HttpServer.HttpServer
      const origin = HttpServer.formatAddress(server.address)
      const answer = yield* Effect.scoped(Effect.gen(function*() {
        const response = yield* HttpClient.get(`${origin}${Emulator.basePath}/organizations/11`, {
          headers: { authorization: `Token ${secret}` }
        })
        return { status: response.status, body: yield* response.json }
      })).pipe(Effect.provide(FetchHttpClient.layer))
      expect(answer).toMatchObject({ status: 200, body: { organization: { id: 11 } } })
      const document = yield* HttpClient.get(`${origin}/openapi.json`).pipe(
        Effect.flatMap((response) => response.json),
        Effect.provide(FetchHttpClient.layer)
      )
      expect(document).toMatchObject({ servers: [{ url: `${origin}${Emulator.basePath}` }] })
      expect((yield* Emulator.requests).map((r) => [r.method, r.path, r.status])).toEqual([[
        "GET",
        "/organizations/11",
        200
      ]])
    }).pipe(Effect.provide(Emulator.layer({ port: 0 })), TestClock.withLive))
  it.effect("a client that goes away while wait=true waits is logged as aborted (499), nothing processed after", () =>
    Effect.gen(function*() {
      yield* post("/organizations", newOrganization)
      const waiting = yield* Effect.forkChild(get("/organizations/26", { wait: "true" }))
      yield* TestClock.adjust("1 second")
      yield* Fiber.interrupt(waiting)
      const logged = yield* Emulator.requests
      expect(logged.map((r) => [r.method, r.path, r.status, r.aborted])).toEqual([
        ["POST", "/organizations", 200, false],
        ["GET", "/organizations/26", 499, true]
      ])
    }).pipe(Effect.provide(Emulator.layerTest())))
})
