// The `effect-make` root command's global options (--token, --zone, --base-url, --json, --verbose) and the layers
// they choose: real Make with a token, else the embedded emulator. Floor "the command": src/, effect, platform-node.
/**
 * The global options of `effect-make`, the services they choose, and how a command's program is run and reported.
 *
 * @since 1.0.0
 */
import { Config, ConfigProvider, Effect, Layer, Logger, Option, Redacted, type Scope, Stream } from "effect"
import { Command, Flag } from "effect/cli"
import type * as MakeApi from "../MakeApi.js"
import type * as MakeClient from "../MakeClient.js"
import * as MakeConfig from "../MakeConfig.js"
import type { InvalidInput } from "../MakeError.js"
import * as NodeMakeApi from "../node/NodeMakeApi.js"
import * as ExitCode from "./ExitCode.js"
import * as Output from "./Output.js"

/**
 * The command's version, as `--version` prints it and the MCP server names itself.
 *
 * @since 1.0.0
 * @category options
 */
export const version = "1.0.0"

/**
 * The global options, given before the command: `effect-make --json orgs list`.
 *
 * @since 1.0.0
 * @category options
 */
export const options = {
  token: Flag.Redacted("token").pipe(
    Flag.withDescription(
      "Make API token (else MAKE_API_TOKEN, else MAKE_API_KEY as Make's own CLI reads it; with none, the emulator); " +
        "for `emulator`, the one token it accepts (default: its test token)"
    ),
    Flag.optional
  ),
  zone: Flag.String("zone").pipe(Flag.withDescription("Make zone, e.g. eu1.make.com"), Flag.optional),
  baseUrl: Flag.String("base-url").pipe(
    Flag.withDescription("API base URL, e.g. http://127.0.0.1:8080/api/v2 (overrides --zone)"),
    Flag.optional
  ),
  json: Flag.Boolean("json").pipe(
    Flag.withDescription("Print only JSON on stdout; logs go to stderr"),
    Flag.withDefault(false)
  ),
  verbose: Flag.Boolean("verbose").pipe(Flag.withDescription("Show the cause of errors"), Flag.withDefault(false))
}

/**
 * The root command (no handler of its own); subcommands read its options with `yield* root`.
 *
 * @since 1.0.0
 * @category commands
 */
export const root = Command.make("effect-make").pipe(Command.withSharedFlags(options))

/**
 * The parsed global options.
 *
 * @since 1.0.0
 * @category models
 */
export interface Globals {
  readonly token: Option.Option<Redacted.Redacted<string>>
  readonly zone: Option.Option<string>
  readonly baseUrl: Option.Option<string>
  readonly json: boolean
  readonly verbose: boolean
}

/**
 * A failure already told to the user, carrying the exit code.
 *
 * @since 1.0.0
 * @category errors
 */
export class Exit {
  readonly _tag = "Exit"
  constructor(readonly code: ExitCode.ExitCode) {}
}

/** A token variable of the environment, when set and not empty; never read as plain text. */
const tokenFromEnv = (name: string) =>
  Config.option(Config.Redacted(name)).pipe(
    Effect.map(Option.filter((token) => Redacted.value(token).trim() !== "")),
    Effect.orElseSucceed(() => Option.none())
  )

/**
 * The token the command uses: `--token`, else `MAKE_API_TOKEN` (this library's name), else `MAKE_API_KEY` (the name
 * Make's own CLI reads), so that a shell set up for either works. `MAKE_API_TOKEN` wins when both are set. Empty
 * variables count as unset.
 *
 * @example
 * ```ts
 * import { Effect, Option } from "effect"
 * import * as Global from "effect-make/cli/Global"
 *
 * const chosen = Global.token({ token: Option.none(), zone: Option.none(), baseUrl: Option.none(), json: false, verbose: false })
 * ```
 *
 * @since 1.0.0
 * @category layers
 */
export const token = (globals: Globals): Effect.Effect<Option.Option<Redacted.Redacted<string>>> =>
  Effect.gen(function*() {
    if (Option.isSome(globals.token)) return globals.token
    const fromToken = yield* tokenFromEnv("MAKE_API_TOKEN")
    return Option.isSome(fromToken) ? fromToken : yield* tokenFromEnv("MAKE_API_KEY")
  })

/**
 * The settings the command line gives, as the variables `MakeConfig.options` reads, ahead of the environment: the
 * chosen token as `MAKE_API_TOKEN` (so that an empty `MAKE_API_TOKEN` does not hide `MAKE_API_KEY`), `--base-url`
 * as `MAKE_BASE_URL`, and `--zone` as both `MAKE_ZONE` and the base URL of that zone (a `MAKE_BASE_URL` of the
 * environment would otherwise win over the flag).
 */
const overrides = (
  globals: Globals,
  chosen: Option.Some<Redacted.Redacted<string>>
): Effect.Effect<Record<string, string>, InvalidInput> =>
  Effect.gen(function*() {
    const entries: Record<string, string> = { MAKE_API_TOKEN: Redacted.value(chosen.value) }
    if (Option.isSome(globals.zone)) {
      entries["MAKE_ZONE"] = globals.zone.value
      entries["MAKE_BASE_URL"] = yield* MakeConfig.baseUrlFromZone(globals.zone.value)
    }
    if (Option.isSome(globals.baseUrl)) entries["MAKE_BASE_URL"] = globals.baseUrl.value
    return entries
  })

/**
 * Every service over real Make when a token is given (see {@link token}): `NodeMakeApi.layerConfig`, the other
 * settings read from the environment as a program's would be. Else `NodeMakeApi.layerConfigOrEmulator` over the
 * embedded emulator (organizations synchronise at once), said once on stderr in the command's own words.
 *
 * @example
 * ```ts
 * import { Option } from "effect"
 * import * as Global from "effect-make/cli/Global"
 *
 * const layer = Global.apiLayer({ token: Option.none(), zone: Option.none(), baseUrl: Option.none(), json: false, verbose: false })
 * ```
 *
 * @since 1.0.0
 * @category layers
 */
export const apiLayer = (
  globals: Globals
): Layer.Layer<MakeApi.Services | MakeClient.MakeClient, Config.ConfigError | InvalidInput, Output.Output> =>
  Layer.unwrap(Effect.gen(function*() {
    const chosen = yield* token(globals)
    if (Option.isSome(chosen)) {
      const settings = ConfigProvider.fromEnv({ env: yield* overrides(globals, chosen) })
      return NodeMakeApi.layerConfig().pipe(Layer.provide(ConfigProvider.layerAdd(settings, { asPrimary: true })))
    }
    // no token: --zone and --base-url name a real Make, which is not asked; the emulator answers (as on Effect 3)
    yield* Output.stderr("No token (--token, MAKE_API_TOKEN or MAKE_API_KEY): using the embedded Make emulator.")
    // the layer's own warning says the same in a library's words: the line above is the command's
    return NodeMakeApi.layerConfigOrEmulator(undefined, { emulator: { syncDelay: "0 millis" } }).pipe(
      Layer.provide(Logger.layer([]))
    )
  }))

/**
 * What {@link run} provides to a command's program.
 *
 * @since 1.0.0
 * @category models
 */
export type Provided = MakeApi.Services | MakeClient.MakeClient | Scope.Scope

/**
 * Runs a command's program over the chosen API, prints its result (or the error, with its exit code), and fails
 * with {@link Exit} on error.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Organizations } from "effect-make"
 * import * as Global from "effect-make/cli/Global"
 *
 * const handler = Global.run(Effect.flatMap(Effect.service(Organizations.Organizations), (orgs) => orgs.get(11)))
 * ```
 *
 * @since 1.0.0
 * @category running
 */
export const run = <A, E, R = never>(
  program: Effect.Effect<A, E, R | Provided | Output.Output>,
  options?: { readonly print?: boolean }
) => Effect.flatMap(root, (globals) => runWith(program, apiLayer(globals), options))

/**
 * {@link run} over the services of `layer` instead of the chosen API: for a command whose work is done elsewhere
 * (`apply --durable`: the replicas call Make), reported the same way.
 *
 * @example
 * ```ts
 * import { Effect, Layer } from "effect"
 * import * as Global from "effect-make/cli/Global"
 *
 * const handler = Global.runWith(Effect.succeed("done"), Layer.empty)
 * ```
 *
 * @since 1.0.0
 * @category running
 */
export const runWith = <A, E, R, ROut, LE>(
  program: Effect.Effect<A, E, R | ROut | Scope.Scope | Output.Output>,
  layer: Layer.Layer<ROut, LE, Output.Output>,
  options?: { readonly print?: boolean }
) =>
  Effect.gen(function*() {
    const globals = yield* root
    const exit = yield* program.pipe(Effect.scoped, Effect.provide(layer), Effect.exit)
    if (exit._tag === "Success") {
      if (options?.print !== false) yield* Output.result(exit.value, globals.json)
      return
    }
    const code = yield* ExitCode.report(exit.cause, globals)
    return yield* Effect.fail(new Exit(code))
  })

/**
 * Runs a stream of results (every page of a list): with `--json` one JSON line per item as it arrives, else one
 * table at the end.
 *
 * @example
 * ```ts
 * import { Effect, Stream } from "effect"
 * import { Organizations } from "effect-make"
 * import * as Global from "effect-make/cli/Global"
 *
 * const handler = Global.runStream(
 *   Stream.unwrap(Effect.map(Effect.service(Organizations.Organizations), (orgs) => orgs.stream()))
 * )
 * ```
 *
 * @since 1.0.0
 * @category running
 */
export const runStream = <A, E>(stream: Stream.Stream<A, E, Provided>) =>
  Effect.gen(function*() {
    const globals = yield* root
    return yield* run(
      globals.json
        ? Stream.runForEach(stream, (item) => Output.stdout(Output.toJson(item)))
        : Effect.flatMap(Stream.runCollect(stream), (items) => Output.result(items, false)),
      { print: false }
    )
  })
