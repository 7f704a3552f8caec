/**
 * An in-memory Make API behind the real HTTP contract: `layerTest` gives an `HttpClient` that reaches it without a
 * socket (sharing the caller's runtime and `TestClock`), `layer` serves it on a port.
 *
 * @since 1.0.0
 */
// The Make emulator: the contract served over HTTP from in-memory data, in process (tests) or on a port (the CLI).
// Imports `effect`, `effect/http`, `@effect/platform-node`, MakeError and testing/.
import { NodeHttpServer } from "@effect/platform-node"
import { Chunk, Context, Deferred, Effect, Layer, type Option, Ref } from "effect"
import {
  HttpClient,
  HttpClientError,
  HttpClientRequest,
  HttpClientResponse,
  HttpServer,
  HttpServerError,
  HttpServerRequest,
  HttpServerResponse
} from "effect/http"
import { IncomingMessage } from "node:http"
import {
  type App,
  basePath as apiBasePath,
  type ConnectionFault,
  type DropConnection,
  makeApp
} from "./emulator/App.js"
import { createNodeServer } from "./emulator/NodeServer.js"
import * as EmulatorOptions from "./emulator/Options.js"
import type * as Records from "./emulator/Records.js"
import { maxBodyBytes } from "./emulator/RequestBody.js"
import * as RequestLog from "./emulator/RequestLog.js"
import { makeState } from "./emulator/Seed.js"
import * as Store from "./emulator/Store.js"
import * as EmulatorFaults from "./EmulatorFaults.js"

/**
 * Where the Make API is mounted under the emulator's origin.
 *
 * @since 1.0.0
 * @category constants
 */
export const basePath = apiBasePath

/**
 * The base URL of the in-process emulator (`layerTest`): requests to it never leave the process.
 *
 * @since 1.0.0
 * @category constants
 */
export const baseUrl = `http://localhost${basePath}`

/**
 * The largest request body the emulator reads (413 past it).
 *
 * @since 1.0.0
 * @category constants
 */
export const maxRequestBodyBytes: number = maxBodyBytes

/**
 * The token the emulator accepts unless told otherwise (a well-known test token, not a secret).
 *
 * @since 1.0.0
 * @category constants
 */
export const defaultToken = EmulatorOptions.defaultToken

/**
 * How the emulator is set up (token, seed, sync delay, rate limit, ...).
 *
 * @since 1.0.0
 * @category models
 */
export type Options = EmulatorOptions.Options

/**
 * One request as the emulator received it (never the `Authorization` value).
 *
 * @since 1.0.0
 * @category models
 */
export type RecordedRequest = Records.RecordedRequest

/**
 * What tests ask of a running emulator: the requests it received and the data behind it.
 *
 * @since 1.0.0
 * @category models
 */
export interface Service {
  readonly settings: EmulatorOptions.Settings
  /** Every request received, oldest first. */
  readonly requests: Effect.Effect<ReadonlyArray<RecordedRequest>>
  /** How many of the oldest entries the bounded log has dropped. */
  readonly droppedRequests: Effect.Effect<number>
  readonly clearRequests: Effect.Effect<void>
  /** The whole data, one consistent snapshot. */
  readonly snapshot: Effect.Effect<Store.Data>
  readonly organizations: Effect.Effect<ReadonlyArray<Records.OrganizationRecord>>
  readonly organization: (id: number) => Effect.Effect<Option.Option<Records.OrganizationRecord>>
  readonly teams: (organizationId: number) => Effect.Effect<ReadonlyArray<Records.TeamRecord>>
  readonly team: (id: number) => Effect.Effect<Option.Option<Records.TeamRecord>>
  /** The fault plan in force, with how many requests it has numbered. */
  readonly faults: Effect.Effect<Option.Option<EmulatorFaults.ActivePlan>>
  /** Puts a plan in force, numbering requests from 0 again (the same plan replays the same faults). */
  readonly setFaults: (plan: EmulatorFaults.FaultPlan) => Effect.Effect<void>
  /** Ends the plan in force (the rate limit is an option of its own and stays). */
  readonly clearFaults: Effect.Effect<void>
}

/**
 * The running emulator.
 *
 * @since 1.0.0
 * @category services
 */
export class Emulator extends Context.Service<Emulator, Service>()("effect-make/testing/Emulator") {}

const serviceOf = (state: Store.EmulatorState, faults: EmulatorFaults.FaultState): Service => ({
  settings: state.settings,
  requests: Effect.map(Ref.get(state.log), (log) => Chunk.toReadonlyArray(log.entries)),
  droppedRequests: Effect.map(Ref.get(state.log), (log) => log.dropped),
  clearRequests: Ref.set(state.log, RequestLog.empty),
  snapshot: Store.snapshot(state),
  organizations: Store.read(state, Store.organizationsOf),
  organization: (id) => Store.read(state, (data) => Store.findOrganization(data, id)),
  teams: (organizationId) => Store.read(state, (data) => Store.teamsOf(data, organizationId)),
  team: (id) => Store.read(state, (data) => Store.findTeam(data, id)),
  faults: Ref.get(faults.faults),
  setFaults: (plan) => EmulatorFaults.setFaults(faults, plan),
  clearFaults: EmulatorFaults.clearFaults(faults)
})

/**
 * The error beneath a dropped connection's `fetch failed`, as Node's system errors carry it (`code`, `syscall`).
 *
 * @since 1.0.0
 * @category errors
 */
export class ConnectionError extends Error {
  /**
   * `ECONNRESET` for a reset connection, `ECONNREFUSED` for a refused one.
   *
   * @since 1.0.0
   */
  readonly code: "ECONNRESET" | "ECONNREFUSED"
  /**
   * The system call that failed: `read` for a reset, `connect` for a refusal.
   *
   * @since 1.0.0
   */
  readonly syscall: "read" | "connect"
  constructor(fault: ConnectionFault, url: URL) {
    const code = fault === "reset" ? "ECONNRESET" : "ECONNREFUSED"
    const syscall = fault === "reset" ? "read" : "connect"
    super(fault === "reset" ? `${syscall} ${code}` : `${syscall} ${code} ${url.hostname}:${url.port || "80"}`)
    this.name = "ConnectionError"
    this.code = code
    this.syscall = syscall
  }
}

/**
 * What Node's `fetch` rejects with when the server drops the connection: `TypeError("fetch failed")` over the system
 * error, as undici does.
 *
 * @example
 * ```ts
 * import * as Emulator from "effect-make/testing/Emulator"
 *
 * Emulator.fetchFailed("reset", new URL(Emulator.baseUrl)).cause // ConnectionError: read ECONNRESET
 * ```
 *
 * @since 1.0.0
 * @category errors
 */
export const fetchFailed = (fault: ConnectionFault, url: URL): TypeError =>
  new TypeError("fetch failed", { cause: new ConnectionError(fault, url) })

/**
 * The requests the emulator received, oldest first.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import * as Emulator from "effect-make/testing/Emulator"
 *
 * const paths = Effect.map(Emulator.requests, (requests) => requests.map((request) => request.path))
 * ```
 *
 * @since 1.0.0
 * @category accessors
 */
export const requests: Effect.Effect<ReadonlyArray<RecordedRequest>, never, Emulator> = Effect.flatMap(
  Emulator,
  (emulator: Service) => emulator.requests
)

/**
 * An `HttpClient` that hands each request to the app in this fiber's runtime: no socket, the caller's `Clock`.
 */
const inProcessClient = (
  app: App,
  dropped: WeakMap<object, Deferred.Deferred<ConnectionFault>>
): HttpClient.HttpClient =>
  HttpClient.make((request, _url, signal) =>
    Effect.gen(function*() {
      const web = yield* HttpClientRequest.toWeb(request, { signal }).pipe(
        Effect.mapError((cause) =>
          new HttpClientError.HttpClientError({
            reason: new HttpClientError.InvalidUrlError({ request, cause, description: "not a URL" })
          })
        )
      )
      const serverRequest = HttpServerRequest.fromWeb(web)
      const drop = yield* Deferred.make<ConnectionFault>()
      dropped.set(serverRequest, drop)
      // A dropped connection wins the race: the app's fiber is interrupted (its entry is logged already) and the
      // client fails as Node's `fetch` does.
      const connectionLost = Effect.flatMap(Deferred.await(drop), (fault) =>
        Effect.fail(
          new HttpClientError.HttpClientError({
            reason: new HttpClientError.TransportError({ request, cause: fetchFailed(fault, new URL(web.url)) })
          })
        ))
      const response = yield* Effect.raceFirst(
        Effect.scoped(Effect.provideService(app, HttpServerRequest.HttpServerRequest, serverRequest)),
        connectionLost
      )
      return HttpClientResponse.fromWeb(request, HttpServerResponse.toWeb(response))
    })
  )

/**
 * The emulator in process, for tests: the `Emulator` service and an `HttpClient` that reaches it at {@link baseUrl}
 * without a socket. It shares the caller's runtime, so `TestClock` drives its sync delay, rate limit and injected
 * latency. A connection the fault plan drops (`reset`, `refused`) fails the client's request with a `TransportError`
 * over `TypeError("fetch failed")` and a {@link ConnectionError}, as Node's `fetch` fails.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { HttpClient } from "effect/http"
 * import * as Emulator from "effect-make/testing/Emulator"
 *
 * const program = HttpClient.get(`${Emulator.baseUrl}/organizations`).pipe(Effect.provide(Emulator.layerTest()))
 * ```
 *
 * @since 1.0.0
 * @category layers
 */
export const layerTest = (options?: Options): Layer.Layer<Emulator | HttpClient.HttpClient> =>
  Layer.effectContext(Effect.gen(function*() {
    const state = yield* makeState(options)
    const faults = yield* EmulatorFaults.makeFaultState(options?.faults)
    const dropped = new WeakMap<object, Deferred.Deferred<ConnectionFault>>()
    const drop: DropConnection = (request, fault) =>
      Effect.suspend(() => {
        const deferred = dropped.get(request)
        return deferred === undefined ? Effect.void : Deferred.succeed(deferred, fault)
      })
    const app = yield* makeApp(state, { faults, drop })
    return Context.make(Emulator, serviceOf(state, faults)).pipe(
      Context.add(HttpClient.HttpClient, inProcessClient(app, dropped))
    )
  }))

/**
 * On a port, a dropped connection is the socket reset (`resetAndDestroy`: a TCP RST, as Effect 3's emulator does), so
 * the client sees `ECONNRESET` rather than a clean close.
 */
const destroySocket: DropConnection = (request) =>
  Effect.sync(() => {
    const source = request.source
    if (source instanceof IncomingMessage) source.socket.resetAndDestroy()
  })

/**
 * The handler the emulator serves per request; it never fails (every failure is an answer).
 *
 * @since 1.0.0
 * @category models
 */
export type Handler = App

/**
 * The emulator on a port (0: any free one) of `host` (default loopback), with `/openapi.json` naming its own address
 * and Swagger UI at `/docs`. `around` wraps the handler of every request (the `effect-make emulator` command writes
 * a log line per request with it).
 *
 * @example
 * ```ts
 * import { Layer } from "effect"
 * import * as Emulator from "effect-make/testing/Emulator"
 *
 * const server = Emulator.layer({ port: 8080 })
 * ```
 *
 * @since 1.0.0
 * @category layers
 */
export const layer = (
  options?: Options & {
    readonly port?: number | undefined
    readonly host?: string | undefined
    readonly around?: ((handler: Handler) => Handler) | undefined
  }
): Layer.Layer<Emulator | HttpServer.HttpServer, HttpServerError.ServeError> =>
  Layer.unwrap(Effect.gen(function*() {
    const state = yield* makeState(options)
    const faults = yield* EmulatorFaults.makeFaultState(options?.faults)
    const served = Layer.effectDiscard(Effect.gen(function*() {
      const server = yield* HttpServer.HttpServer
      const origin = HttpServer.formatAddress(server.address)
      const app = yield* makeApp(state, {
        servers: [{ url: `${origin}${basePath}`, description: "This emulator" }],
        faults,
        drop: destroySocket
      })
      yield* server.serve(Effect.interruptible(options?.around === undefined ? app : options.around(app)))
    }))
    return Layer.merge(Layer.succeed(Emulator)(serviceOf(state, faults)), served).pipe(
      Layer.provideMerge(
        NodeHttpServer.layerServer(createNodeServer, { port: options?.port ?? 0, host: options?.host ?? "127.0.0.1" })
      )
    )
  }))
