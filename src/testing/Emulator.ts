// The emulator's public face: the Emulator service over an in-memory Make instance, an HttpClient that calls it in
// process (no socket), and the same app on a real port; each transport drops connections its own way for faults.
// Imports `effect`, `@effect/platform(-node)`, `node:` modules, MakeError and testing/.
/**
 * @since 0.1.0
 */
import {
  FetchHttpClient,
  HttpApiBuilder,
  HttpApiSwagger,
  HttpApp,
  type HttpClient,
  HttpRouter,
  HttpServer,
  type HttpServerError,
  type OpenApi
} from "@effect/platform"
import { NodeHttpServer, NodeHttpServerRequest } from "@effect/platform-node"
import { Chunk, Context, Effect, Layer, Option, Ref, type Scope } from "effect"
import { createServer } from "node:http"
import { constants } from "node:os"
import type * as MakeError from "../MakeError.js"
import * as EmulatorFaults from "./EmulatorFaults.js"
import { apiLive, organizationNotFound, teamNotFound, withRequestLog } from "./EmulatorHandlers.js"
import * as EmulatorState from "./EmulatorState.js"

/**
 * The path under which the emulator serves the API, as Make does (`https://{zone}/api/v2`).
 *
 * @since 0.1.0
 * @category constants
 */
export const basePath = "/api/v2"

/**
 * The base URL to give a client of {@link layerHttpClient}. Any host works (no request leaves the process); the path
 * must be {@link basePath}.
 *
 * @since 0.1.0
 * @category constants
 */
export const baseUrl = `http://localhost${basePath}`

/**
 * The token the emulator accepts unless {@link Options} say otherwise.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultToken = EmulatorState.defaultToken

/**
 * The instance the emulator starts with unless `seed` says otherwise (organizations 11, 12, 13 and their teams,
 * invitations, billing, variables and feature controls).
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultSeed: Seed = EmulatorState.defaultSeed

/**
 * What the emulated instance starts with (see {@link defaultSeed}).
 *
 * @since 0.1.0
 * @category models
 */
export type Seed = EmulatorState.Seed

/**
 * How to set up the emulated instance: `token`, the token's user (`userId`, `userName`, `userEmail`,
 * `userTimezoneOffsetMinutes`), `syncDelay`, `seed`, `zone`, `faults` (a {@link FaultPlan} in force from the start)
 * and `rateLimit` (Make's per-organization limit: `true` for each licence's `apiLimit`, or `{ perMinute, window }`,
 * counted over a sliding minute unless `window: "fixed"`).
 *
 * @since 0.1.0
 * @category models
 */
export type Options = EmulatorState.Options

/**
 * Seeded, deterministic fault injection: 5xx (before or after processing), 429, connection resets and refusals,
 * truncated bodies, latency. See `EmulatorFaults.FaultPlan`.
 *
 * @since 0.1.0
 * @category models
 */
export type FaultPlan = EmulatorFaults.FaultPlan

/**
 * One request as the emulator saw it (never the `Authorization` value).
 *
 * @since 0.1.0
 * @category models
 */
export type RecordedRequest = EmulatorState.RecordedRequest

/**
 * What tests can ask of and do to the emulated instance, besides calling its API.
 *
 * @since 0.1.0
 * @category models
 */
export interface Service {
  /** The state behind the API (settings, data, log), for custom handlers and fault injection. */
  readonly state: EmulatorState.EmulatorState
  /** The options, defaults filled in. */
  readonly settings: EmulatorState.Settings
  /** Every request so far, in the order they were answered (each carries the time it arrived). */
  readonly requests: Effect.Effect<ReadonlyArray<RecordedRequest>>
  /** Forgets the requests so far. */
  readonly clearRequests: Effect.Effect<void>
  /**
   * Puts a fault plan in force, replacing the one there was; its requests are numbered from 0 again, so what follows
   * is as deterministic as a plan given at start.
   */
  readonly setFaults: (plan: FaultPlan) => Effect.Effect<void>
  /** Ends fault injection: the requests that follow are answered normally (the rate limit, if on, stays). */
  readonly clearFaults: Effect.Effect<void>
  /** Every organization, in creation order, in wire form. */
  readonly organizations: Effect.Effect<ReadonlyArray<EmulatorState.OrganizationRecord>>
  /** One organization, whether or not the zone has synchronised it yet. */
  readonly organization: (id: number) => Effect.Effect<Option.Option<EmulatorState.OrganizationRecord>>
  /** The teams of an organization, deleted ones included. */
  readonly teams: (organizationId: number) => Effect.Effect<ReadonlyArray<EmulatorState.TeamRecord>>
  /** One team, deleted or not. */
  readonly team: (id: number) => Effect.Effect<Option.Option<EmulatorState.TeamRecord>>
  /** Sets how many active scenarios an organization has (deleting it needs `confirmed=true` while above 0). */
  readonly setActiveScenarios: (organizationId: number, count: number) => Effect.Effect<void, MakeError.NotFound>
  /**
   * Changes an organization's licence, e.g. `{ customVariables: false }` to put its custom variables behind Make's
   * bare 404 (they are kept, and come back with `{ customVariables: true }`).
   */
  readonly setLicense: (
    organizationId: number,
    patch: Partial<EmulatorState.LicenseRecord>
  ) => Effect.Effect<void, MakeError.NotFound>
  /** Every user the instance knows: the token's user first, then those who accepted invitations. */
  readonly users: Effect.Effect<ReadonlyArray<EmulatorState.UserRecord>>
  /** The members of an organization, with their organization roles. */
  readonly memberships: (organizationId: number) => Effect.Effect<ReadonlyArray<EmulatorState.MembershipRecord>>
  /** Every user-team role (deleted teams included), in the order they were given. */
  readonly teamRoles: Effect.Effect<ReadonlyArray<EmulatorState.TeamRoleRecord>>
  /**
   * Gives a user (default: the token's) a role in a team, replacing the one they had there; what
   * `check-team-permission` answers follows. Fails for a team that does not exist.
   */
  readonly setTeamRole: (role: EmulatorState.SeedTeamRole) => Effect.Effect<void, MakeError.NotFound>
  /** An invitation by hash, pending or accepted. */
  readonly invitation: (hash: string) => Effect.Effect<Option.Option<EmulatorState.InvitationRecord>>
  /** The invitations to an organization, oldest first. */
  readonly invitations: (organizationId: number) => Effect.Effect<ReadonlyArray<EmulatorState.InvitationRecord>>
  /** The custom apps listed under an organization. */
  readonly customApps: (organizationId: number) => Effect.Effect<ReadonlyArray<EmulatorState.CustomAppRecord>>
  /** An organization's payments, oldest first. */
  readonly payments: (organizationId: number) => Effect.Effect<ReadonlyArray<EmulatorState.PaymentRecord>>
  /** An organization's current subscription (`active` or `free`), if any. */
  readonly subscription: (organizationId: number) => Effect.Effect<Option.Option<EmulatorState.SubscriptionRecord>>
  /** An organization's subscriptions, cancelled ones included, oldest first. */
  readonly subscriptions: (organizationId: number) => Effect.Effect<ReadonlyArray<EmulatorState.SubscriptionRecord>>
  /** An organization's custom variables (whatever its licence), with their history, in creation order. */
  readonly variables: (organizationId: number) => Effect.Effect<ReadonlyArray<EmulatorState.VariableRecord>>
  /** An organization's feature controls. */
  readonly featureControls: (
    organizationId: number
  ) => Effect.Effect<ReadonlyArray<EmulatorState.FeatureControlRecord>>
}

/**
 * The emulated Make instance.
 *
 * @example
 * ```ts
 * import { HttpClient } from "@effect/platform"
 * import { Effect, Layer } from "effect"
 * import { Emulator } from "effect-make/testing"
 *
 * const program = Effect.gen(function*() {
 *   const client = yield* HttpClient.HttpClient
 *   yield* client.get(`${Emulator.baseUrl}/organizations`)
 *   const emulator = yield* Emulator.Emulator
 *   return yield* emulator.requests
 * }).pipe(Effect.provide(Emulator.layerHttpClient.pipe(Layer.provideMerge(Emulator.layer()))))
 * ```
 *
 * @since 0.1.0
 * @category tags
 */
export class Emulator extends Context.Tag("effect-make/testing/Emulator")<Emulator, Service>() {}

/**
 * Every request the emulator in context received so far, oldest first.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Emulator } from "effect-make/testing"
 *
 * const paths = Effect.map(Emulator.requests, (all) => all.map((request) => `${request.method} ${request.path}`))
 * ```
 *
 * @since 0.1.0
 * @category accessors
 */
export const requests: Effect.Effect<ReadonlyArray<RecordedRequest>, never, Emulator> = Effect.flatMap(
  Emulator,
  (emulator) => emulator.requests
)

/**
 * The last request the emulator in context received, if any.
 *
 * @example
 * ```ts
 * import { Emulator } from "effect-make/testing"
 *
 * const last = Emulator.lastRequest // Effect<RecordedRequest | undefined, never, Emulator>
 * ```
 *
 * @since 0.1.0
 * @category accessors
 */
export const lastRequest: Effect.Effect<RecordedRequest | undefined, never, Emulator> = Effect.map(
  requests,
  (all) => all.at(-1)
)

/**
 * Creates an emulated instance (time from the `Clock`, so `TestClock` drives the sync delay).
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options?: Options): Effect.Effect<Service> =>
  Effect.map(EmulatorState.make(options), (state): Service => {
    const read = <A>(f: (data: EmulatorState.Data) => A): Effect.Effect<A> => Effect.map(Ref.get(state.data), f)
    return {
      state,
      settings: state.settings,
      requests: Effect.map(Ref.get(state.log), Chunk.toReadonlyArray),
      clearRequests: Ref.set(state.log, Chunk.empty()),
      setFaults: (plan) => Ref.set(state.faults, Option.some({ plan, drawn: 0 })),
      clearFaults: Ref.set(state.faults, Option.none()),
      organizations: read((data) => data.organizations),
      organization: (id) => read((data) => EmulatorState.findOrganization(data, id)),
      teams: (organizationId) => read((data) => EmulatorState.teamsOf(data, organizationId)),
      team: (id) => read((data) => EmulatorState.findTeam(data, id)),
      setActiveScenarios: (organizationId, count) =>
        Ref.modify(
          state.data,
          EmulatorState.updateOrganization(organizationId, (org) => ({ ...org, activeScenarios: Math.max(0, count) }))
        ).pipe(
          Effect.flatMap(Option.match({
            onNone: () => Effect.fail(organizationNotFound(organizationId)),
            onSome: () => Effect.void
          }))
        ),
      setLicense: (organizationId, patch) =>
        Ref.modify(
          state.data,
          EmulatorState.updateOrganization(organizationId, (org) => ({ ...org, license: { ...org.license, ...patch } }))
        ).pipe(
          Effect.flatMap(Option.match({
            onNone: () => Effect.fail(organizationNotFound(organizationId)),
            onSome: () => Effect.void
          }))
        ),
      users: read((data) => data.users),
      memberships: (organizationId) =>
        read((data) => data.memberships.filter((m) => m.organizationId === organizationId)),
      teamRoles: read((data) => data.teamRoles),
      setTeamRole: (role) =>
        Ref.modify(
          state.data,
          (data): readonly [boolean, EmulatorState.Data] =>
            Option.isSome(EmulatorState.findTeam(data, role.teamId))
              ? [true, EmulatorState.setTeamRole({ ...role, userId: role.userId ?? state.settings.userId })(data)]
              : [false, data]
        ).pipe(
          Effect.flatMap((found) => found ? Effect.void : Effect.fail(teamNotFound(role.teamId)))
        ),
      invitation: (hash) => read((data) => EmulatorState.findInvitation(data, hash)),
      invitations: (organizationId) =>
        read((data) => data.invitations.filter((invitation) => invitation.organizationId === organizationId)),
      customApps: (organizationId) => read((data) => EmulatorState.customAppsOf(data, organizationId)),
      payments: (organizationId) => read((data) => EmulatorState.paymentsOf(data, organizationId)),
      subscription: (organizationId) => read((data) => EmulatorState.currentSubscription(data, organizationId)),
      subscriptions: (organizationId) => read((data) => EmulatorState.subscriptionsOf(data, organizationId)),
      variables: (organizationId) => read((data) => EmulatorState.variablesOf(data, organizationId)),
      featureControls: (organizationId) => read((data) => EmulatorState.featureControlsOf(data, organizationId))
    }
  })

/**
 * A fresh emulated instance. Default: token {@link defaultToken}, user 1 ("Awesome Maker", `noreply@make.com`, UTC),
 * sync delay 2 seconds, zone `eu1.make.com`, seeded with {@link EmulatorState.defaultSeed}.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options?: Options): Layer.Layer<Emulator> => Layer.effect(Emulator, make(options))

/**
 * The emulator's HTTP app: the contract's handlers mounted under {@link basePath}, behind the request log (with the
 * faults and the rate limit); with `docs`, also `GET /openapi.json` and Swagger UI at `GET /docs`. Mirrors
 * `HttpApiBuilder.toWebHandler`: the API, `Router.Live` and `Middleware.layer` are built together, in the given scope.
 * The app needs the transport's `EmulatorFaults.Connection` to drop connections ({@link layerHttpClient} and
 * {@link layerServer} provide theirs).
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeApp = (
  state: EmulatorState.EmulatorState,
  options?: {
    readonly docs?: boolean | undefined
    readonly servers?: ReadonlyArray<OpenApi.OpenAPISpecServer> | undefined
  }
): Effect.Effect<
  HttpApp.Default<HttpServerError.RouteNotFound, HttpRouter.HttpRouter.DefaultServices | EmulatorFaults.Connection>,
  never,
  Scope.Scope
> =>
  Effect.gen(function*() {
    const api = apiLive(state, { servers: options?.servers })
    const docs = options?.docs === true
      ? Layer.mergeAll(HttpApiSwagger.layer(), HttpApiBuilder.middlewareOpenApi()).pipe(Layer.provide(api))
      : Layer.empty
    const context = yield* Layer.build(
      Layer.mergeAll(api, docs, HttpApiBuilder.Router.Live, HttpApiBuilder.Middleware.layer)
    )
    const apiApp = yield* Effect.provide(HttpApiBuilder.httpApp, context)
    const mounted = HttpRouter.empty.pipe(HttpRouter.mountApp(basePath, withRequestLog(state)(apiApp)))
    // The docs routes live in the API's router; they answer at the root too, outside the request log.
    return options?.docs === true
      ? mounted.pipe(HttpRouter.get("/docs", apiApp), HttpRouter.get("/openapi.json", apiApp))
      : mounted
  })

/**
 * The `cause` of the `TypeError("fetch failed")` that Node's `fetch` (undici) rejects with when a connection is reset
 * (`read ECONNRESET`) or refused (`connect ECONNREFUSED 127.0.0.1:80`): a system error with `code`, `errno` and
 * `syscall`, as Node's own. What a client inspects to tell a refused request (never sent) from a reset one.
 *
 * @since 0.1.0
 * @category errors
 */
export class ConnectionError extends Error {
  readonly code: "ECONNRESET" | "ECONNREFUSED"
  readonly errno: number
  readonly syscall: "read" | "connect"
  constructor(fault: EmulatorFaults.ConnectionFault, url: URL) {
    const refused = fault === "refused"
    const port = url.port === "" ? (url.protocol === "https:" ? "443" : "80") : url.port
    super(refused ? `connect ECONNREFUSED ${url.hostname}:${port}` : "read ECONNRESET")
    this.code = refused ? "ECONNREFUSED" : "ECONNRESET"
    // Node's errno is the negated system error number (-104 / -111 on Linux).
    this.errno = -(refused ? constants.errno.ECONNREFUSED : constants.errno.ECONNRESET)
    this.syscall = refused ? "connect" : "read"
  }
}

/**
 * How Node's `fetch` fails for a connection fault: `TypeError("fetch failed")` with a {@link ConnectionError} as
 * `cause`.
 *
 * @since 0.1.0
 * @category errors
 */
export const fetchFailed = (fault: EmulatorFaults.ConnectionFault, url: URL): TypeError =>
  new TypeError("fetch failed", { cause: new ConnectionError(fault, url) })

/**
 * The in-process transport: the app's {@link EmulatorFaults.Connection}, and a `fetch` over the app's web handler
 * that fails as Node's does when the app drops a connection.
 *
 * Each `Request` is registered with the function that fails its `fetch`; `drop` finds it again from the server
 * request (whose `source` is that `Request`). Failing also aborts the `Request`, so the app's fiber is interrupted as
 * when a client goes away. A client's own abort rejects at once, as `fetch` does.
 */
const inProcessTransport = (): {
  readonly connection: EmulatorFaults.ConnectionService
  readonly fetch: (handler: (request: Request) => Promise<Response>) => typeof globalThis.fetch
} => {
  const pending = new WeakMap<Request, (fault: EmulatorFaults.ConnectionFault) => void>()
  const connection: EmulatorFaults.ConnectionService = {
    drop: (request, fault) =>
      Effect.sync(() => {
        const source = request.source
        if (source instanceof Request) pending.get(source)?.(fault)
      })
  }
  const fetch = (handler: (request: Request) => Promise<Response>): typeof globalThis.fetch => (input, init) =>
    new Promise<Response>((resolve, reject) => {
      const server = new AbortController()
      const client = init?.signal ?? undefined
      const request = new Request(input, { ...init, signal: server.signal })
      const fail = (reason: unknown) => {
        reject(reason)
        server.abort(reason)
      }
      if (client !== undefined) {
        if (client.aborted) return fail(client.reason)
        client.addEventListener("abort", () => fail(client.reason), { once: true })
      }
      pending.set(request, (fault) => fail(fetchFailed(fault, new URL(request.url))))
      handler(request).then(resolve, reject)
    })
  return { connection, fetch }
}

/**
 * An `HttpClient` whose requests go straight into the emulator, in process: no socket, no port. The app runs on the
 * runtime that builds this layer, so it shares that runtime's `Clock` (a test's `TestClock` drives the sync delay and
 * latency faults). A connection fault rejects the `fetch` as Node's does (see {@link fetchFailed}), so the client sees
 * an `HttpClientError` of reason `Transport` whose cause chain carries `ECONNRESET` or `ECONNREFUSED`.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerHttpClient: Layer.Layer<HttpClient.HttpClient, never, Emulator> = Layer.unwrapScoped(
  Effect.gen(function*() {
    const emulator = yield* Emulator
    const app = yield* makeApp(emulator.state)
    const services = yield* Layer.build(HttpServer.layerContext)
    const runtime = yield* Effect.runtime<never>()
    const transport = inProcessTransport()
    const handler = HttpApp.toWebHandlerRuntime(runtime)(
      Effect.provide(app, services).pipe(Effect.provideService(EmulatorFaults.Connection, transport.connection))
    )
    return FetchHttpClient.layer.pipe(Layer.provide(Layer.succeed(FetchHttpClient.Fetch, transport.fetch(handler))))
  })
)

/**
 * An emulated instance and an in-process `HttpClient` to it, in one layer.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerTest = (options?: Options): Layer.Layer<Emulator | HttpClient.HttpClient> =>
  layerHttpClient.pipe(Layer.provideMerge(layer(options)))

/**
 * Where {@link layerServer} listens.
 *
 * @since 0.1.0
 * @category models
 */
export interface ServerInfo {
  readonly address: HttpServer.Address
  /** `http://127.0.0.1:54321` */
  readonly url: string
  /** `http://127.0.0.1:54321/api/v2`: what a client's base URL should be. */
  readonly baseUrl: string
}

/**
 * The address of a running {@link layerServer}.
 *
 * @since 0.1.0
 * @category tags
 */
export class EmulatorServer extends Context.Tag("effect-make/testing/EmulatorServer")<EmulatorServer, ServerInfo>() {}

/**
 * Node's way to drop a connection: reset the request's socket (`socket.resetAndDestroy()`: a TCP RST), so the
 * client sees `ECONNRESET`, as from a server that crashed or a proxy that gave up.
 *
 * A server cannot refuse a connection it has accepted (refusal happens in the kernel, before any request exists): a
 * `refused` fault resets the socket too, before reading the request, so on a real port the client sees `ECONNRESET`
 * for it as well; the request log still says `refused`. To see a true `ECONNREFUSED`, point a client at a closed port.
 *
 * @since 0.1.0
 * @category transports
 */
export const nodeConnection: EmulatorFaults.ConnectionService = {
  drop: (request) => Effect.sync(() => NodeHttpServerRequest.toIncomingMessage(request).socket.resetAndDestroy())
}

/**
 * The emulator on a real port (Node's HTTP server), API under {@link basePath}, plus `GET /openapi.json` and Swagger
 * UI at `GET /docs`. Port 0 (the default) picks a free port; host defaults to `127.0.0.1`, so nothing outside the
 * machine can reach it. Connection faults reset the socket (see {@link nodeConnection}).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerServer = (options?: {
  readonly port?: number | undefined
  readonly host?: string | undefined
}): Layer.Layer<EmulatorServer, HttpServerError.ServeError, Emulator> =>
  Layer.scoped(
    EmulatorServer,
    Effect.gen(function*() {
      const emulator = yield* Emulator
      const server = yield* HttpServer.HttpServer
      const url = HttpServer.formatAddress(server.address)
      const info: ServerInfo = { address: server.address, url, baseUrl: `${url}${basePath}` }
      const app = yield* makeApp(emulator.state, {
        docs: true,
        servers: [{ url: info.baseUrl, description: "effect-make emulator" }]
      })
      yield* server.serve(Effect.provideService(app, EmulatorFaults.Connection, nodeConnection))
      return info
    })
  ).pipe(
    Layer.provide(NodeHttpServer.layer(() => createServer(), {
      port: options?.port ?? 0,
      host: options?.host ?? "127.0.0.1"
    }))
  )
