// `effect-make emulator` (the emulator on a port, with /openapi.json, Swagger UI at /docs, a log line per request and
// a graceful shutdown) and `effect-make openapi` (writes the shared document). Floor 6: imports testing/, api/ and cli/.
/**
 * @since 0.1.0
 */
import { Command, Options } from "@effect/cli"
import { FileSystem, HttpServer, HttpServerRequest } from "@effect/platform"
import type { HttpApp } from "@effect/platform"
import { NodeHttpServer } from "@effect/platform-node"
import { Clock, Duration, Effect, Exit, Layer, Option, Redacted, Schema } from "effect"
import * as MakeError from "../MakeError.js"
import * as OpenApiDocument from "../testing/emulator/OpenApiDocument.js"
import { Emulator, EmulatorFaults } from "../testing/index.js"
import * as ExitCode from "./ExitCode.js"
import * as Global from "./Global.js"
import * as Output from "./Output.js"

/**
 * `--faults` JSON: `EmulatorFaults.FaultPlan` without `match` (latency's duration and jitter in milliseconds).
 *
 * @since 0.1.0
 * @category options
 */
export const FaultsOption = Schema.parseJson(Schema.Struct({
  seed: Schema.Number,
  serverError: Schema.optional(Schema.Number.pipe(Schema.between(0, 1))),
  rateLimited: Schema.optional(Schema.Number.pipe(Schema.between(0, 1))),
  retryAfterSeconds: Schema.optional(Schema.NonNegative),
  retryAfterAs: Schema.optional(Schema.Literal("seconds", "date")),
  reset: Schema.optional(Schema.Number.pipe(Schema.between(0, 1))),
  refused: Schema.optional(Schema.Number.pipe(Schema.between(0, 1))),
  truncated: Schema.optional(Schema.Number.pipe(Schema.between(0, 1))),
  latency: Schema.optional(Schema.Struct({
    probability: Schema.Number.pipe(Schema.between(0, 1)),
    duration: Schema.NonNegative,
    jitter: Schema.optional(Schema.NonNegative)
  }))
}))

/**
 * `--seed FILE` JSON: the organizations and teams to start with (instead of the default seed); every other record
 * takes the emulator's defaults.
 *
 * @since 0.1.0
 * @category options
 */
export const SeedFile = Schema.parseJson(Schema.Struct({
  organizations: Schema.optional(Schema.Array(Schema.Struct({
    id: Schema.Int,
    name: Schema.String,
    zone: Schema.optionalWith(Schema.String, { exact: true }),
    countryId: Schema.optionalWith(Schema.Int, { exact: true }),
    timezoneId: Schema.optionalWith(Schema.Int, { exact: true }),
    regionId: Schema.optionalWith(Schema.Int, { exact: true }),
    activeScenarios: Schema.optionalWith(Schema.Int, { exact: true })
  }))),
  teams: Schema.optional(Schema.Array(Schema.Struct({
    id: Schema.Int,
    name: Schema.String,
    organizationId: Schema.Int
  })))
}))

/** `2s`, `500ms`, `1m`, or milliseconds. */
const DurationText = Schema.String.pipe(
  Schema.pattern(/^\d+(\.\d+)?(ms|s|m)?$/, { message: () => "must be a duration such as 500ms, 2s or 1m" })
)
const toDuration = (text: string): Duration.Duration => {
  const value = Number.parseFloat(text)
  return text.endsWith("ms")
    ? Duration.millis(value)
    : text.endsWith("s")
    ? Duration.seconds(value)
    : text.endsWith("m")
    ? Duration.minutes(value)
    : Duration.millis(value)
}

const decodeOption = <A>(option: string, schema: Schema.Schema<A, string>, text: string) =>
  Effect.mapError(
    Schema.decode(schema, { errors: "all" })(text),
    (error) => MakeError.invalidInput(`effect-make emulator ${option}`, error)
  )

/**
 * An app that writes one line per request: method, path (no query), status, milliseconds; never a header.
 *
 * @since 0.1.0
 * @category emulator
 */
export const withRequestLog = <E, R>(app: HttpApp.Default<E, R>, write: (line: string) => Effect.Effect<void>) =>
  Effect.gen(function*() {
    const request = yield* HttpServerRequest.HttpServerRequest
    const started = yield* Clock.currentTimeMillis
    const exit = yield* Effect.exit(app)
    const ms = (yield* Clock.currentTimeMillis) - started
    const status = Exit.isSuccess(exit) ? exit.value.status : Exit.isInterrupted(exit) ? 499 : 404
    const path = new URL(request.url, "http://emulator").pathname
    yield* write(`${request.method} ${path} ${status} ${ms}ms`)
    return yield* exit
  })

const emulatorOptions = {
  port: Options.integer("port").pipe(Options.withDefault(8080), Options.withDescription("Port (0: any free port)")),
  host: Options.text("host").pipe(Options.withDefault("127.0.0.1"), Options.withDescription("Interface to bind")),
  seed: Options.file("seed", { exists: "yes" }).pipe(
    Options.withDescription("JSON file: organizations and teams to start with"),
    Options.optional
  ),
  token: Options.redacted("token").pipe(
    Options.withDescription("The token the emulator accepts (default: the emulator's default token)"),
    Options.optional
  ),
  faults: Options.text("faults").pipe(
    Options.withDescription("Fault plan as JSON, e.g. {\"seed\":1,\"serverError\":0.1}"),
    Options.optional
  ),
  syncDelay: Options.text("sync-delay").pipe(
    Options.withDescription("How long a new organization stays unreadable (default 2s)"),
    Options.optional
  ),
  rateLimit: Options.boolean("rate-limit").pipe(Options.withDescription("Enforce each organization's API limit"))
}

/**
 * What to send as the token. The default one is printed: it is the emulator's well-known test token, the same in
 * every copy of this package, not a secret; a token given with --token is the user's and never printed.
 */
const tokenLine = (given: Option.Option<Redacted.Redacted>): string =>
  Option.isSome(given)
    ? "the one given with --token"
    : `${Redacted.value(Emulator.defaultToken)}  (the emulator's default test token; choose another with --token)`

const serve = (o: Command.Command.ParseConfig<typeof emulatorOptions>) =>
  Effect.gen(function*() {
    const globals = yield* Global.root
    const output = yield* Output.Output
    const fs = yield* FileSystem.FileSystem
    const seedText = Option.isSome(o.seed) ? yield* Effect.orDie(fs.readFileString(o.seed.value)) : undefined
    const seed = seedText === undefined ? undefined : yield* decodeOption("--seed", SeedFile, seedText)
    const faults = Option.isSome(o.faults) ? yield* decodeOption("--faults", FaultsOption, o.faults.value) : undefined
    const syncDelay = Option.isSome(o.syncDelay)
      ? toDuration(yield* decodeOption("--sync-delay", DurationText, o.syncDelay.value))
      : undefined
    const emulator = Emulator.layer({
      token: Option.getOrUndefined(o.token),
      seed,
      faults,
      syncDelay,
      rateLimit: o.rateLimit
    })
    const write = (line: string) => globals.json ? output.stdout(Output.toJson({ request: line })) : output.stdout(line)
    yield* Effect.gen(function*() {
      const server = yield* HttpServer.HttpServer
      const service = yield* Emulator.Emulator
      const url = HttpServer.formatAddress(server.address)
      const app = yield* Emulator.makeApp(service, {
        docs: true,
        servers: [{ url: `${url}${Emulator.basePath}`, description: "effect-make emulator" }]
      })
      yield* server.serve(
        Effect.provideService(withRequestLog(app, write), EmulatorFaults.Connection, Emulator.nodeConnection)
      )
      yield* output.stderr(
        [
          `Make emulator listening on ${url}`,
          `  API      ${url}${Emulator.basePath}`,
          `  Token    ${tokenLine(o.token)}`,
          `  OpenAPI  ${url}/openapi.json`,
          `  Docs     ${url}/docs`,
          "Ctrl-C to stop."
        ].join("\n")
      )
      return yield* Effect.never
    }).pipe(
      Effect.onInterrupt(() => output.stderr("Emulator stopped.")),
      Effect.scoped,
      Effect.provide(
        Layer.merge(emulator, NodeHttpServer.layer(Emulator.createNodeServer, { port: o.port, host: o.host }))
      )
    )
  })

/**
 * `effect-make emulator [--port 8080] [--host 127.0.0.1] [--seed FILE] [--token T] [--faults JSON]
 * [--sync-delay 2s] [--rate-limit]`.
 *
 * @since 0.1.0
 * @category commands
 */
export const emulator = Command.make(
  "emulator",
  emulatorOptions,
  (o) =>
    Effect.flatMap(Global.root, (globals) =>
      serve(o).pipe(
        Effect.catchAllCause((cause) =>
          Effect.flatMap(ExitCode.report(cause, globals), (code) => Effect.fail(new Global.Exit(code)))
        )
      ))
).pipe(
  Command.withDescription("Serve the Make emulator on a port, with /openapi.json and Swagger UI at /docs")
)

/**
 * `effect-make openapi [--out FILE]`: the OpenAPI 3.1 document of the contract, to a file or stdout.
 *
 * @since 0.1.0
 * @category commands
 */
export const openapi = Command.make(
  "openapi",
  { out: Options.file("out").pipe(Options.withDescription("Write to this file instead of stdout"), Options.optional) },
  ({ out }) =>
    Effect.gen(function*() {
      // the one document every line publishes (the emulator serves the same), not this line's own generator's
      const document = JSON.stringify(OpenApiDocument.document, null, 2) + "\n"
      if (Option.isNone(out)) return yield* Output.stdout(document)
      const fs = yield* FileSystem.FileSystem
      yield* Effect.orDie(fs.writeFileString(out.value, document))
      const operations = document.match(/"operationId"/g)?.length ?? 0
      yield* Output.stderr(`${out.value}: ${operations} operations`)
    })
).pipe(Command.withDescription("Write the OpenAPI 3.1 document of the Make API contract"))
