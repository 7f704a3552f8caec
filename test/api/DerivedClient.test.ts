// The contract as Effect 4's derived client uses it (HttpApiClient.make over an HttpClient that records each request
// and answers a fixed response; no emulator, no MakeClient): the URLs and bodies it sends, and what it decodes.
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Ref } from "effect"
import { HttpClient, HttpClientResponse, UrlParams } from "effect/http"
import { HttpApiClient } from "effect/http-api"
import { MakeHttpApi } from "../../src/api/MakeHttpApi.js"

interface Sent {
  readonly method: string
  readonly url: string
  readonly body: string | undefined
}

/** Runs `use` with a derived client whose every request is answered by `status` and `body`; returns what was sent. */
const answering = <A, E>(
  status: number,
  body: string | null,
  use: (client: HttpApiClient.ForApi<typeof MakeHttpApi>) => Effect.Effect<A, E>
) =>
  Effect.gen(function*() {
    const sent = yield* Ref.make<ReadonlyArray<Sent>>([])
    const http = HttpClient.make((request) =>
      Effect.gen(function*() {
        const text = request.body._tag === "Uint8Array" ? new TextDecoder().decode(request.body.body) : undefined
        const query = UrlParams.toString(request.urlParams)
        const url = query === "" ? request.url : `${request.url}?${query}`
        yield* Ref.update(sent, (all) => [...all, { method: request.method, url, body: text }])
        return HttpClientResponse.fromWeb(
          request,
          new Response(body, { status, headers: { "content-type": "application/json" } })
        )
      })
    )
    const client = yield* HttpApiClient.make(MakeHttpApi, { baseUrl: "https://eu1.make.com/api/v2" }).pipe(
      Effect.provide(Layer.succeed(HttpClient.HttpClient)(http))
    )
    const result = yield* Effect.result(use(client))
    return { result, sent: yield* Ref.get(sent) }
  })

describe("the derived client", () => {
  it.effect("sends Make's query names and decodes the documented list", () =>
    Effect.gen(function*() {
      const { result, sent } = yield* answering(
        200,
        JSON.stringify({ organizations: [{ id: 5, name: "Acme", operations: "0" }], pg: { limit: 2, offset: 0 } }),
        (client) => client.organizations.list({ query: { offset: 0, limit: 2, sortDir: "asc", cols: ["id", "name"] } })
      )
      expect(sent.map((s) => [s.method, decodeURIComponent(s.url)])).toEqual([[
        "GET",
        "https://eu1.make.com/api/v2/organizations?pg[offset]=0&pg[limit]=2&pg[sortDir]=asc&cols[]=id&cols[]=name"
      ]])
      expect(result).toMatchObject({
        _tag: "Success",
        success: { organizations: [{ id: 5, name: "Acme", operations: 0 }], pg: { limit: 2, offset: 0 } }
      })
    }))

  it.effect("puts ids in the path, `confirmed` in the query, and takes any body of a void call", () =>
    Effect.gen(function*() {
      for (
        const [status, body] of [[200, "{\"organizationVariable\":\"region\"}"], [200, "Deleted."], [
          204,
          null
        ]] as const
      ) {
        const { result, sent } = yield* answering(
          status,
          body,
          (client) =>
            client.organizationVariables.delete({
              params: { organizationId: 11, variableName: "region" },
              query: { confirmed: true }
            })
        )
        expect(sent.map((s) => [s.method, s.url])).toEqual([[
          "DELETE",
          "https://eu1.make.com/api/v2/organizations/11/variables/region?confirmed=true"
        ]])
        expect(result).toMatchObject({ _tag: "Success", success: body ?? "" })
      }
    }))

  it.effect("sends the payload as JSON and reads the subscription under any accepted key", () =>
    Effect.gen(function*() {
      const subscription = { id: 401, priceId: 103, status: "active" }
      for (const key of ["subscription", "subscriptions", "data"]) {
        const { result, sent } = yield* answering(
          200,
          JSON.stringify({ [key]: subscription }),
          (client) => client.billing.createSubscription({ params: { organizationId: 11 }, payload: { priceId: 103 } })
        )
        expect(sent).toEqual([{
          method: "POST",
          url: "https://eu1.make.com/api/v2/organizations/11/subscription",
          body: JSON.stringify({ priceId: 103 })
        }])
        expect(result).toMatchObject({ _tag: "Success", success: subscription })
      }
    }))

  it.effect("decodes Make's error bodies to the tagged errors the endpoint declares", () =>
    Effect.gen(function*() {
      const cases = [
        [404, { detail: "Organization not found.", message: "Not found", code: "SC404" }, "NotFound"],
        [406, { detail: "It has scenarios.", message: "Not confirmed", code: "IM004" }, "NotConfirmed"],
        [400, { detail: "Bad.", code: "IM015", suberrors: [{ message: "name" }] }, "InvalidRequest"],
        [401, { detail: "Invalid token.", code: "SC401" }, "Unauthorized"],
        [403, { detail: "Access denied.", code: "SC403" }, "Forbidden"],
        [429, { detail: "Slow down.", code: "SC429" }, "RateLimited"],
        [500, { detail: "Oops.", code: "SC500" }, "ServerError"]
      ] as const
      for (const [status, body, tag] of cases) {
        const { result } = yield* answering(
          status,
          JSON.stringify(body),
          (client) => client.organizations.delete({ params: { organizationId: 11 }, query: {} })
        )
        expect([status, result]).toMatchObject([
          status,
          { _tag: "Failure", failure: { _tag: tag, status, detail: body.detail } }
        ])
      }
    }))

  it.effect("a bare 404 on a licence-gated call is NotFound (the licence tells a gate apart, not the body)", () =>
    Effect.gen(function*() {
      const { result } = yield* answering(
        404,
        JSON.stringify({ detail: "Not found.", message: "Not found", code: "SC404" }),
        (client) => client.organizationVariables.history({ params: { organizationId: 11, variableName: "x" } })
      )
      expect(result).toMatchObject({ _tag: "Failure", failure: { _tag: "NotFound", status: 404 } })
    }))

  // Effect 4's JSON codec writes an explicit `undefined` of a `Schema.optional` field as `null`, which Make would read as
  // "clear this field": the request bodies of domain/ use `Common.OptionalInput`, so the key is left out, as the
  // Effect 3 line (JSON.stringify) leaves it out.
  it.effect("an explicit undefined in a request body leaves the key out, as the Effect 3 line does", () =>
    Effect.gen(function*() {
      const organization = { id: 11, name: "x" }
      const { sent } = yield* answering(
        200,
        JSON.stringify({ organization }),
        (client) =>
          client.organizations.update({ params: { organizationId: 11 }, payload: { name: "x", countryId: undefined } })
      )
      expect(sent.map((s) => s.body)).toEqual([JSON.stringify({ name: "x" })])
    }))
})
