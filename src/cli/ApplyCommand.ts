// The `apply` command: a fleet of spec files and folders converged, one line per spec and a summary (the FleetResult
// as JSON with --json), exit 1 when a spec failed; with --durable, the runs sent to the durable engine's replicas
// (workflows/ClusterClient.ts, imported on demand: @effect/sql-pg is an optional peer). Floor "the command": effect,
// MakeError, workflows/, cli/.
/**
 * The `apply <PATH...> [--concurrency N] [--keep-partial] [--durable]` command of `effect-make`:
 * `Fleet.provisionAll` over the specs of files and folders, on the in-memory engine (`Workflows.layerMemory`), or
 * with `--durable` on the replicas of the durable engine (`ClusterClient.layerConfig()`).
 *
 * @since 1.0.0
 */
import { Effect, FileSystem, Layer, Option, Path, Predicate, Schema } from "effect"
import { Argument, Command, Flag } from "effect/cli"
import type { WorkflowEngine } from "effect/workflow"
import * as MakeError from "../MakeError.js"
import * as Fleet from "../workflows/Fleet.js"
import * as FleetResult from "../workflows/FleetResult.js"
import * as Workflows from "../workflows/Workflows.js"
import * as ExitCode from "./ExitCode.js"
import * as Global from "./Global.js"
import * as Launch from "./Launch.js"
import * as Output from "./Output.js"

/**
 * Some specs of the fleet failed; the report (stdout) says which and why. The command exits 1 (`ExitCode.failed`)
 * once the report is printed.
 *
 * @since 1.0.0
 * @category errors
 */
export class FleetFailed extends Schema.TaggedError<FleetFailed>()("FleetFailed", {
  failed: Schema.Int,
  specs: Schema.Int
}) {
  override get message(): string {
    return `${this.failed} of ${this.specs} specs failed (see their lines in the report)`
  }
}

/** What a line's run changed, the kinds with a count only (`unchanged 8`), or `no change`. */
const changesOf = (counts: FleetResult.Counts): string => {
  const kinds = ["created", "updated", "unchanged", "skipped", "unconfirmed"] as const
  const said = kinds.filter((kind) => counts[kind] > 0).map((kind) => `${kind} ${counts[kind]}`)
  return said.length === 0 ? "no change" : said.join(", ")
}

/**
 * The report as table rows, one per spec in the fleet's order: its source, organization (and id when known), outcome,
 * and what changed, or the error's tag and message.
 *
 * @example
 * ```ts
 * import * as ApplyCommand from "effect-make/cli/ApplyCommand"
 * import { FleetResult } from "effect-make"
 *
 * ApplyCommand.rows(FleetResult.make([])) // []
 * ```
 *
 * @since 1.0.0
 * @category output
 */
export const rows = (result: FleetResult.FleetResult) =>
  result.lines.map((line) => ({
    source: line.source,
    organization: line.organization,
    id: line.organizationId,
    outcome: line.outcome,
    detail: line.error === undefined ? changesOf(line.counts) : `${line.error.tag}: ${line.error.message}`
  }))

/**
 * The summary line: `20 specs: 18 applied, 1 unchanged, 1 failed (created 140, updated 20)`.
 *
 * @example
 * ```ts
 * import * as ApplyCommand from "effect-make/cli/ApplyCommand"
 * import { FleetResult } from "effect-make"
 *
 * ApplyCommand.summaryLine(FleetResult.make([]).summary) // "0 specs: 0 applied, 0 unchanged, 0 failed (no change)"
 * ```
 *
 * @since 1.0.0
 * @category output
 */
export const summaryLine = (summary: FleetResult.Summary): string =>
  `${summary.specs} spec${summary.specs === 1 ? "" : "s"}: ${summary.applied} applied, ${summary.unchanged} ` +
  `unchanged, ${summary.failed} failed (${changesOf(summary.counts)})`

/** Prints the report: the FleetResult's JSON encoding with `--json`, else the table and the summary line. */
const print = (result: FleetResult.FleetResult, json: boolean) =>
  Effect.gen(function*() {
    const output = yield* Effect.service(Output.Output)
    if (json) {
      const encoded = yield* Effect.orDie(Schema.encodeEffect(FleetResult.FleetResult)(result))
      return yield* output.stdout(Output.toJson(encoded))
    }
    yield* output.stdout(Output.human(rows(result), output.colour))
    yield* output.stdout(summaryLine(result.summary))
  })

/** The fleet read, converged on the engine in context and reported; `FleetFailed` once reported when a spec failed. */
const converge = (
  paths: ReadonlyArray<string>,
  options: Fleet.FleetOptions,
  json: boolean
): Effect.Effect<
  void,
  MakeError.InvalidInput | FleetFailed,
  WorkflowEngine.WorkflowEngine | FileSystem.FileSystem | Path.Path | Output.Output
> =>
  Effect.gen(function*() {
    const fleet = yield* Fleet.load(paths)
    const result = yield* Fleet.provisionAll(fleet, options)
    yield* print(result, json)
    if (result.summary.failed > 0) {
      return yield* new FleetFailed({ failed: result.summary.failed, specs: result.summary.specs })
    }
  })

/**
 * The replicas' client, imported when `--durable` asks for it: a package it needs and the app did not install
 * (`@effect/sql-pg`, an optional peer) is told in the launcher's one sentence on stderr, never a stack trace.
 */
const loadClusterClient = Effect.tryPromise({
  try: () => import("../workflows/ClusterClient.js"),
  catch: (error) => error
}).pipe(
  Effect.catch((error) => {
    const missing = Launch.isModuleNotFound(error)
      ? Launch.missingPackages((name) => import.meta.resolve(name), [...Launch.needed, ...Launch.neededDurable])
      : []
    const sentence = missing.length > 0
      ? Launch.missingMessage(missing)
      : Launch.loadFailedMessage(Predicate.isError(error) ? error.message : String(error))
    return Effect.andThen(Output.stderr(sentence), Effect.fail(new Global.Exit(ExitCode.ExitCode.failed)))
  })
)

/**
 * The global options that choose a Make (`--token`, `--zone`, `--base-url`) mean nothing with `--durable`: the runs
 * execute on the replicas, with their own settings. Given anyway, they are refused rather than silently unused.
 */
const durableConflicts = (globals: Global.Globals): ReadonlyArray<string> =>
  [
    Option.isSome(globals.token) ? "--token" : undefined,
    Option.isSome(globals.zone) ? "--zone" : undefined,
    Option.isSome(globals.baseUrl) ? "--base-url" : undefined
  ].filter(Predicate.isNotUndefined).map((flag) =>
    `${flag} is not used with --durable: the replicas execute the runs with their own Make settings`
  )

/**
 * `effect-make apply PATH...`: every spec of the files and folders (see `Fleet.load`) checked before any request,
 * then each provisioned, `--concurrency` at once. Prints one line per spec and the summary, or the `FleetResult` as
 * JSON with `--json`. Exits 0 when every spec applied or was unchanged, 1 when any failed (after the full report: the
 * others were applied), 2 when the fleet was refused before any request (a spec invalid, an organization named twice).
 *
 * The runs are on the in-memory engine of the process, over the Make the global options choose. With `--durable`
 * they are sent to the replicas of the durable engine (`DurableEngine.layerReplica`) on the database that
 * `DATABASE_URL` or `PGHOST`, `PGPORT`, `PGDATABASE`, `PGUSER`, `PGPASSWORD` name: each spec is its own durable run,
 * journaled in the database and executed by the replica holding its shard, with that replica's Make settings; the
 * command is a client of the cluster (`ClusterClient.layerConfig()`), not a replica, so it takes no shard and registers
 * nowhere. An explicit flag and not the presence of `DATABASE_URL`: a shell set up for `psql` would
 * otherwise send its applies to whatever cluster that database holds, under another token.
 *
 * @example
 * ```ts
 * import * as ApplyCommand from "effect-make/cli/ApplyCommand"
 *
 * const name = ApplyCommand.apply.name // "apply"
 * ```
 *
 * @since 1.0.0
 * @category commands
 */
export const apply = Command.make(
  "apply",
  {
    paths: Argument.Path("PATH", { mustExist: true }).pipe(
      Argument.withDescription(
        "Spec files (.yaml, .yml, .json; a YAML file may hold several specs separated by ---) or folders of them"
      ),
      Argument.variadic({ min: 1 })
    ),
    concurrency: Flag.Int("concurrency").pipe(
      Flag.withDescription(`How many specs are applied at once, 1 to 64 (default ${Fleet.defaultConcurrency})`),
      Flag.optional
    ),
    keepPartial: Flag.Boolean("keep-partial").pipe(
      Flag.withDescription("When a spec fails, keep what its run created instead of rolling it back"),
      Flag.withDefault(false)
    ),
    durable: Flag.Boolean("durable").pipe(
      Flag.withDescription(
        "Send the runs to the durable engine's replicas on the database of DATABASE_URL (or PGHOST, PGDATABASE, " +
          "...): they execute them with their own Make settings"
      ),
      Flag.withDefault(false)
    )
  },
  ({ concurrency, durable, keepPartial, paths }) =>
    Effect.flatMap(Global.root, (globals) => {
      const program = converge(paths, {
        concurrency: Option.getOrUndefined(concurrency),
        provision: keepPartial ? { onFailure: "keep" } : undefined
      }, globals.json)
      if (!durable) return Global.run(Effect.provide(program, Workflows.layerMemory), { print: false })
      const conflicts = durableConflicts(globals)
      if (conflicts.length > 0) {
        const refused = new MakeError.InvalidInput({ operation: "apply --durable", issues: conflicts })
        return Global.runWith(Effect.fail(refused), Layer.empty, { print: false })
      }
      return Effect.flatMap(
        loadClusterClient,
        (ClusterClient) => Global.runWith(program, ClusterClient.layerConfig(), { print: false })
      )
    })
).pipe(
  Command.withDescription("Create or update every organization of a folder (or files) of specs; re-applying is safe")
)
