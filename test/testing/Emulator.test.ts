// The Effect 4 emulator over HTTP, through the in-process layer: statuses, Make's bodies, the request log.
import { assert, describe, it } from "@effect/vitest"
import { Effect, Redacted } from "effect"
import { HttpClient, HttpClientRequest } from "effect/http"
import * as Emulator from "../../src/testing/Emulator.js"

const token = `Token ${Redacted.value(Emulator.defaultToken)}`

const send = (request: HttpClientRequest.HttpClientRequest) =>
  Effect.gen(function*() {
    const client = yield* HttpClient.HttpClient
    const response = yield* client.execute(request)
    const text = yield* response.text
    return { status: response.status, headers: response.headers, body: text === "" ? undefined : JSON.parse(text) }
  })

const get = (path: string, authorized = true) =>
  send(
    HttpClientRequest.get(`${Emulator.baseUrl}${path}`).pipe(
      authorized ? HttpClientRequest.setHeader("authorization", token) : (r) => r
    )
  )

describe("Emulator over HTTP", () => {
  it.effect("GET /organizations answers the seed's organizations, logged without the token", () =>
    Effect.gen(function*() {
      const answer = yield* get("/organizations")
      assert.strictEqual(answer.status, 200)
      assert.isArray(answer.body.organizations)
      const logged = yield* Emulator.requests
      assert.deepStrictEqual(logged.map((r) => [r.method, r.path, r.status, r.authenticated]), [[
        "GET",
        "/organizations",
        200,
        true
      ]])
      assert.notInclude(JSON.stringify(logged), Redacted.value(Emulator.defaultToken))
    }).pipe(Effect.provide(Emulator.layerTest())))

  it.effect("401 with Make's body without the token", () =>
    Effect.gen(function*() {
      const answer = yield* get("/organizations", false)
      assert.strictEqual(answer.status, 401)
      assert.deepStrictEqual(answer.body, { detail: "Invalid credentials.", message: "Access denied", code: "SC401" })
    }).pipe(Effect.provide(Emulator.layerTest())))

  it.effect("Make's 404 for an unknown route", () =>
    Effect.gen(function*() {
      const answer = yield* get("/nowhere")
      assert.strictEqual(answer.status, 404)
      assert.deepStrictEqual(answer.body, {
        detail: "The requested endpoint does not exist.",
        message: "Not found",
        code: "SC404"
      })
    }).pipe(Effect.provide(Emulator.layerTest())))

  it.effect("400 with suberrors for a parameter the contract rejects", () =>
    Effect.gen(function*() {
      const answer = yield* get("/organizations/abc")
      assert.strictEqual(answer.status, 400)
      assert.strictEqual(answer.body.code, "IM015")
      assert.isAbove(answer.body.suberrors.length, 0)
    }).pipe(Effect.provide(Emulator.layerTest())))
})
