// `effect-make emulator` (the emulator on a port, with /openapi.json, Swagger UI at /docs, a log line per request and
// a graceful shutdown) and `effect-make openapi` (writes the shared document). Floor "the command": testing/, api/, cli/.
/**
 * The `emulator` and `openapi` commands of `effect-make`.
 *
 * @since 1.0.0
 */
import { Clock, Duration, Effect, Exit, FileSystem, Option, Redacted, type Schema } from "effect"
import { Command, Flag } from "effect/cli"
import { HttpServer, HttpServerRequest } from "effect/http"
import { OpenApi } from "effect/http-api"
import { MakeHttpApi } from "../api/MakeHttpApi.js"
import * as MakeError from "../MakeError.js"
import * as Emulator from "../testing/Emulator.js"
import { decodeSeedFile } from "../testing/emulator/Seed.js"
import * as EmulatorFaults from "../testing/EmulatorFaults.js"
import * as ExitCode from "./ExitCode.js"
import * as Global from "./Global.js"
import * as Output from "./Output.js"

/**
 * `--faults` JSON: the emulator's fault plan without `match` (latency's duration and jitter in milliseconds). The
 * command decodes it strictly (`EmulatorFaults.decodeFaults`): a key the plan does not know is refused, not dropped.
 *
 * @example
 * ```ts
 * import { Schema } from "effect"
 * import { FaultsOption } from "effect-make/cli/EmulatorCommand"
 *
 * Schema.decodeUnknownSync(FaultsOption)('{"seed":1,"serverError":0.1}')
 * ```
 *
 * @since 1.0.0
 * @category options
 */
export const FaultsOption = EmulatorFaults.FaultsOption

/** `2s`, `500ms`, `1m`, or milliseconds. */
const durationText = /^\d+(\.\d+)?(ms|s|m)?$/

/**
 * A `--sync-delay` text as a duration: `2s`, `500ms`, `1m`, or milliseconds; anything else is `InvalidInput`.
 *
 * @example
 * ```ts
 * import * as EmulatorCommand from "effect-make/cli/EmulatorCommand"
 *
 * const delay = EmulatorCommand.parseDuration("--sync-delay", "500ms")
 * ```
 *
 * @since 1.0.0
 * @category options
 */
export const parseDuration = (
  option: string,
  text: string
): Effect.Effect<Duration.Duration, MakeError.InvalidInput> => {
  if (!durationText.test(text)) {
    return Effect.fail(
      new MakeError.InvalidInput({
        operation: `effect-make emulator ${option}`,
        issues: [`must be a duration such as 500ms, 2s or 1m (got ${JSON.stringify(text)})`]
      })
    )
  }
  const value = Number.parseFloat(text)
  return Effect.succeed(
    text.endsWith("ms")
      ? Duration.millis(value)
      : text.endsWith("s")
      ? Duration.seconds(value)
      : text.endsWith("m")
      ? Duration.minutes(value)
      : Duration.millis(value)
  )
}

/** An option's text decoded, every problem of it as `InvalidInput` naming the option. */
const decodeOption = <A>(
  option: string,
  decode: (text: string) => Effect.Effect<A, Schema.SchemaError>,
  text: string
): Effect.Effect<A, MakeError.InvalidInput> =>
  Effect.mapError(decode(text), (error) => MakeError.invalidInput(`effect-make emulator ${option}`, error))

/**
 * Wraps the emulator's handler so that every request writes one line: method, path (no query), status, milliseconds;
 * never a header (the token stays out of the log). A request cut off (its connection closed) is logged as 499.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import * as EmulatorCommand from "effect-make/cli/EmulatorCommand"
 * import * as Emulator from "effect-make/testing/Emulator"
 *
 * const logged = Emulator.layer({
 *   port: 0,
 *   around: (handler) => EmulatorCommand.withRequestLog(handler, (line) => Effect.log(line))
 * })
 * ```
 *
 * @since 1.0.0
 * @category emulator
 */
export const withRequestLog = (
  handler: Emulator.Handler,
  write: (line: string) => Effect.Effect<void>
): Emulator.Handler =>
  Effect.gen(function*() {
    const request = yield* HttpServerRequest.HttpServerRequest
    const started = yield* Clock.currentTimeMillis
    const path = new URL(request.url, "http://emulator").pathname
    return yield* Effect.onExit(handler, (exit) =>
      Effect.flatMap(Clock.currentTimeMillis, (now) => {
        const status = Exit.isSuccess(exit) ? exit.value.status : 499
        return write(`${request.method} ${path} ${status} ${now - started}ms`)
      }))
  })

const emulatorOptions = {
  port: Flag.Int("port").pipe(Flag.withDescription("Port (0: any free port; default 8080)"), Flag.withDefault(8080)),
  host: Flag.String("host").pipe(
    Flag.withDescription("Interface to bind (default 127.0.0.1)"),
    Flag.withDefault("127.0.0.1")
  ),
  seed: Flag.File("seed", { mustExist: true }).pipe(
    Flag.withDescription("JSON file: organizations and teams to start with"),
    Flag.optional
  ),
  faults: Flag.String("faults").pipe(
    Flag.withDescription("Fault plan as JSON, e.g. {\"seed\":1,\"serverError\":0.1}"),
    Flag.optional
  ),
  syncDelay: Flag.String("sync-delay").pipe(
    Flag.withDescription("How long a new organization stays unreadable (default 2s)"),
    Flag.optional
  ),
  rateLimit: Flag.Boolean("rate-limit").pipe(
    Flag.withDescription("Enforce each organization's API limit"),
    Flag.withDefault(false)
  )
}

interface EmulatorOptions {
  readonly port: number
  readonly host: string
  readonly seed: Option.Option<string>
  readonly faults: Option.Option<string>
  readonly syncDelay: Option.Option<string>
  readonly rateLimit: boolean
}

/**
 * What to send as the token. The default one is printed: it is the emulator's well-known test token, the same in
 * every copy of this package, not a secret; a token given with --token is the user's and never printed.
 */
const tokenLine = (given: Option.Option<Redacted.Redacted<string>>): string =>
  Option.isSome(given)
    ? "the one given with --token"
    : `${Redacted.value(Emulator.defaultToken)}  (the emulator's default test token; choose another with --token)`

/**
 * `--token T` is the global option (effect/cli lets a parent's flag be given after the subcommand, and refuses a
 * subcommand's flag of the same name): `effect-make emulator --token T` reads as on Effect 3. The emulator accepts
 * that token only, never MAKE_API_TOKEN or MAKE_API_KEY of the environment, which name the token a client sends.
 */
const serve = (o: EmulatorOptions) =>
  Effect.gen(function*() {
    const globals = yield* Global.root
    const token = globals.token
    const output = yield* Effect.service(Output.Output)
    const fs = yield* FileSystem.FileSystem
    const seedText = Option.isSome(o.seed)
      ? yield* Effect.mapError(
        fs.readFileString(o.seed.value),
        (error) =>
          new MakeError.InvalidInput({
            operation: "effect-make emulator --seed",
            issues: [`${Option.getOrElse(o.seed, () => "")}: ${error.message}`]
          })
      )
      : undefined
    const seed = seedText === undefined ? undefined : yield* decodeOption("--seed", decodeSeedFile, seedText)
    const faults = Option.isSome(o.faults)
      ? yield* decodeOption("--faults", EmulatorFaults.decodeFaults, o.faults.value)
      : undefined
    const syncDelay = Option.isSome(o.syncDelay) ? yield* parseDuration("--sync-delay", o.syncDelay.value) : undefined
    const write = (line: string) => globals.json ? output.stdout(Output.toJson({ request: line })) : output.stdout(line)
    const emulator = Emulator.layer({
      port: o.port,
      host: o.host,
      token: Option.getOrUndefined(token),
      seed,
      faults,
      syncDelay,
      rateLimit: o.rateLimit,
      around: (handler) => withRequestLog(handler, write)
    })
    yield* Effect.gen(function*() {
      const server = yield* HttpServer.HttpServer
      const url = HttpServer.formatAddress(server.address)
      yield* output.stderr(
        [
          `Make emulator listening on ${url}`,
          `  API      ${url}${Emulator.basePath}`,
          `  Token    ${tokenLine(token)}`,
          `  OpenAPI  ${url}/openapi.json`,
          `  Docs     ${url}/docs`,
          "Ctrl-C to stop."
        ].join("\n")
      )
      return yield* Effect.never
    }).pipe(
      Effect.provide(emulator),
      // said once the server has closed (the layer's scope ends first): the port is free when the line shows
      Effect.onInterrupt(() => output.stderr("Emulator stopped."))
    )
  })

/**
 * `effect-make emulator [--port 8080] [--host 127.0.0.1] [--seed FILE] [--token T] [--faults JSON]
 * [--sync-delay 2s] [--rate-limit]`.
 *
 * @since 1.0.0
 * @category commands
 */
export const emulator = Command.make(
  "emulator",
  emulatorOptions,
  (o) =>
    Effect.flatMap(Global.root, (globals) =>
      serve(o).pipe(
        Effect.catchCause((cause) =>
          Effect.flatMap(ExitCode.report(cause, globals), (code) => Effect.fail(new Global.Exit(code)))
        )
      ))
).pipe(
  Command.withDescription("Serve the Make emulator on a port, with /openapi.json and Swagger UI at /docs")
)

/**
 * The OpenAPI 3.1 document of the contract as written: two-space JSON and a final newline, the text of the committed
 * snapshot every line publishes.
 *
 * @example
 * ```ts
 * import * as EmulatorCommand from "effect-make/cli/EmulatorCommand"
 *
 * const text = EmulatorCommand.openApiText()
 * ```
 *
 * @since 1.0.0
 * @category openapi
 */
export const openApiText = (): string => JSON.stringify(OpenApi.fromApi(MakeHttpApi), null, 2) + "\n"

/**
 * `effect-make openapi [--out FILE]`: the OpenAPI 3.1 document of the contract, to a file or stdout.
 *
 * @since 1.0.0
 * @category commands
 */
export const openapi = Command.make(
  "openapi",
  { out: Flag.File("out").pipe(Flag.withDescription("Write to this file instead of stdout"), Flag.optional) },
  ({ out }) =>
    Effect.gen(function*() {
      const globals = yield* Global.root
      const document = openApiText()
      if (Option.isNone(out)) return yield* Output.stdout(document)
      const fs = yield* FileSystem.FileSystem
      const written = yield* Effect.exit(Effect.mapError(
        fs.writeFileString(out.value, document),
        (error) =>
          new MakeError.InvalidInput({
            operation: "effect-make openapi --out",
            issues: [`${out.value}: ${error.message}`]
          })
      ))
      if (Exit.isFailure(written)) {
        return yield* Effect.fail(new Global.Exit(yield* ExitCode.report(written.cause, globals)))
      }
      const operations = document.match(/"operationId"/g)?.length ?? 0
      yield* Output.stderr(`${out.value}: ${operations} operations`)
    })
).pipe(Command.withDescription("Write the OpenAPI 3.1 document of the Make API contract"))
