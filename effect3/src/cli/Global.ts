// The `effect-make` root command's global options (--token, --zone, --base-url, --json, --verbose) and the layers
// they choose: real Make with a token, else the embedded emulator. Floor 6: imports node/, testing/, workflows/, cli/.
/**
 * @since 0.1.0
 */
import { Command, Options } from "@effect/cli"
import type { WorkflowEngine } from "@effect/workflow"
import type { Scope } from "effect"
import { Chunk, Config, Effect, Layer, Option, Redacted, Stream } from "effect"
import type * as MakeApi from "../MakeApi.js"
import type * as MakeClient from "../MakeClient.js"
import type { InvalidInput } from "../MakeError.js"
import { NodeMakeApi } from "../node/index.js"
import { MakeTest } from "../testing/index.js"
import type * as Progress from "../workflows/Progress.js"
import * as Workflows from "../workflows/Workflows.js"
import * as ExitCode from "./ExitCode.js"
import * as Output from "./Output.js"

/**
 * The global options, given before the command: `effect-make --json orgs list`.
 *
 * @since 0.1.0
 * @category options
 */
export const options = {
  token: Options.redacted("token").pipe(
    Options.withDescription(
      "Make API token (else MAKE_API_TOKEN, else MAKE_API_KEY as Make's own CLI reads it; with none, the emulator)"
    ),
    Options.optional
  ),
  zone: Options.text("zone").pipe(Options.withDescription("Make zone, e.g. eu1.make.com"), Options.optional),
  baseUrl: Options.text("base-url").pipe(
    Options.withDescription("API base URL, e.g. http://127.0.0.1:8080/api/v2 (overrides --zone)"),
    Options.optional
  ),
  json: Options.boolean("json").pipe(Options.withDescription("Print only JSON on stdout; logs go to stderr")),
  verbose: Options.boolean("verbose").pipe(Options.withDescription("Show the cause of errors"))
}

/**
 * The root command (no handler of its own); subcommands read its options with `yield* root`.
 *
 * @since 0.1.0
 * @category commands
 */
export const root = Command.make("effect-make", options)

/**
 * The parsed global options.
 *
 * @since 0.1.0
 * @category models
 */
export type Globals = Command.Command.ParseConfig<typeof options>

/**
 * A failure already told to the user, carrying the exit code.
 *
 * @since 0.1.0
 * @category errors
 */
export class Exit {
  readonly _tag = "Exit"
  constructor(readonly code: ExitCode.ExitCode) {}
}

/** A token variable of the environment, when set and not empty; never read as plain text. */
const tokenFromEnv = (name: string) =>
  Config.option(Config.redacted(name)).pipe(
    Effect.map(Option.filter((token) => Redacted.value(token).trim() !== "")),
    Effect.orElseSucceed(() => Option.none())
  )

/**
 * The token the command uses: `--token`, else `MAKE_API_TOKEN` (this library's name), else `MAKE_API_KEY` (the name
 * Make's own CLI reads), so that a shell set up for either works. `MAKE_API_TOKEN` wins when both are set. Empty
 * variables count as unset.
 *
 * @since 0.1.0
 * @category layers
 */
export const token = (globals: Globals): Effect.Effect<Option.Option<Redacted.Redacted>> =>
  Effect.gen(function*() {
    if (Option.isSome(globals.token)) return globals.token
    const fromToken = yield* tokenFromEnv("MAKE_API_TOKEN")
    return Option.isSome(fromToken) ? fromToken : yield* tokenFromEnv("MAKE_API_KEY")
  })

/**
 * Every service over real Make when a token is given (see {@link token}), else over the embedded emulator, said once
 * on stderr.
 *
 * @since 0.1.0
 * @category layers
 */
export const apiLayer = (
  globals: Globals
): Layer.Layer<MakeApi.Services | MakeClient.MakeClient, InvalidInput, Output.Output> =>
  Layer.unwrapEffect(Effect.gen(function*() {
    const chosen = yield* token(globals)
    if (Option.isNone(chosen)) {
      yield* Output.stderr("No token (--token, MAKE_API_TOKEN or MAKE_API_KEY): using the embedded Make emulator.")
      return MakeTest.layer({ syncDelay: "0 millis" })
    }
    return NodeMakeApi.layer({
      token: chosen.value,
      zone: Option.getOrUndefined(globals.zone),
      baseUrl: Option.getOrUndefined(globals.baseUrl)
    })
  }))

/**
 * What {@link run} provides to a command's program.
 *
 * @since 0.1.0
 * @category models
 */
export type Provided =
  | MakeApi.Services
  | MakeClient.MakeClient
  | Progress.Progress
  | WorkflowEngine.WorkflowEngine
  | Scope.Scope

/**
 * Runs a command's program over the chosen API (and the in-memory workflow engine), prints its result (or the
 * error, with its exit code), and fails with {@link Exit} on error.
 *
 * @since 0.1.0
 * @category running
 */
export const run = <A, E, R>(
  program: Effect.Effect<A, E, R>,
  options?: { readonly print?: boolean }
) =>
  Effect.gen(function*() {
    const globals = yield* root
    const layer = Workflows.layerMemory.pipe(Layer.provideMerge(apiLayer(globals)))
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
 * @since 0.1.0
 * @category running
 */
export const runStream = <A, E, R>(stream: Stream.Stream<A, E, R>) =>
  Effect.flatMap(root, (globals) =>
    run(
      globals.json
        ? Stream.runForEach(stream, (item) => Output.stdout(Output.toJson(item)))
        : Effect.flatMap(Stream.runCollect(stream), (items) => Output.result(Chunk.toReadonlyArray(items), false)),
      { print: false }
    ))
