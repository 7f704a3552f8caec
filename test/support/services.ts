// Helpers for the service suites over the emulator: the last request it received, the state it holds (read from its
// snapshot), a request on the wire past the client, and a stand-in for Make that answers every request alike.
import { Effect, Layer, Option, Redacted } from "effect"
import { HttpClient, HttpClientRequest, HttpClientResponse } from "effect/http"
import * as MakeClient from "../../src/MakeClient.js"
import * as Emulator from "../../src/testing/Emulator.js"
import type * as Records from "../../src/testing/emulator/Records.js"
import * as Store from "../../src/testing/emulator/Store.js"

/** The last request the emulator received (`undefined` when none), as Effect 3's `Emulator.lastRequest`. */
export const lastRequest: Effect.Effect<Emulator.RecordedRequest | undefined, never, Emulator.Emulator> = Effect.map(
  Emulator.requests,
  (requests) => requests.at(-1)
)

/** What the emulator holds, one consistent snapshot. */
const snapshot = Effect.flatMap(Emulator.Emulator, (emulator) => emulator.snapshot)

/** The invitations of an organization, in the order they were made. */
export const invitationsOf = (organizationId: number) =>
  Effect.map(snapshot, (data) => Store.inOrganization(data.invitations, organizationId))

/** The invitation behind a hash. */
export const invitationOf = (
  hash: string
): Effect.Effect<Option.Option<Records.InvitationRecord>, never, Emulator.Emulator> =>
  Effect.map(snapshot, (data) => Store.lookup(data.invitations, hash))

/** The memberships of an organization. */
export const membershipsOf = (organizationId: number) =>
  Effect.map(snapshot, (data) => Store.inOrganization(data.memberships, organizationId))

/** Every team role. */
export const teamRoles = Effect.map(snapshot, (data) => data.teamRoles)

/** The names of an organization's variables. */
export const variableNames = (organizationId: number) =>
  Effect.map(snapshot, (data) => Store.inOrganization(data.variables, organizationId).map((record) => record.name))

/** The feature controls of an organization. */
export const featureControlsOf = (organizationId: number) =>
  Effect.map(snapshot, (data) => Store.inOrganization(data.featureControls, organizationId))

/**
 * A request to the emulator past the client (with the emulator's token): what a caller of Make's raw API could send,
 * e.g. a variable update with only `value`, which this client never sends.
 */
export const wire = (method: "PATCH" | "POST", path: string, body: unknown) =>
  Effect.flatMap(HttpClient.HttpClient, (client) =>
    client.execute(
      HttpClientRequest.make(method)(`${Emulator.baseUrl}${path}`).pipe(
        HttpClientRequest.setHeader("authorization", `Token ${Redacted.value(Emulator.defaultToken)}`),
        HttpClientRequest.bodyJsonUnsafe(body)
      )
    ))

/** What a stand-in received of one request: method, path and JSON body. */
export interface Sent {
  readonly method: string
  readonly path: string
  readonly body: unknown
}

const sentOf = (request: HttpClientRequest.HttpClientRequest): Sent => ({
  method: request.method,
  path: new URL(request.url).pathname,
  body: request.body._tag === "Uint8Array" ? JSON.parse(new TextDecoder().decode(request.body.body)) : undefined
})

/**
 * A service's layer over a stand-in for Make answering every request 200 with `body` (JSON), recording what it
 * received in `sent`: for answers the emulator never gives. No retries, so each call is one request.
 */
export const answeredWith = <I>(
  service: Layer.Layer<I, never, MakeClient.MakeClient>,
  body: unknown,
  sent: Array<Sent>
) =>
  service.pipe(
    Layer.provide(MakeClient.layer({ token: Redacted.make("secret-token"), zone: "eu1.make.com", retry: "off" })),
    Layer.provide(
      Layer.succeed(HttpClient.HttpClient)(
        HttpClient.make((request) =>
          Effect.sync(() => {
            sent.push(sentOf(request))
            return HttpClientResponse.fromWeb(
              request,
              new Response(JSON.stringify(body), { status: 200, headers: { "content-type": "application/json" } })
            )
          })
        )
      )
    ),
    Layer.orDie
  )
