// Replicas of the durable engine as child processes, for the multi-replica tests (not a test file): free ports from
// the OS, a child per replica (test/workflows/replica-child.ts on this Node), its output read line by line and
// decoded, and waits on those lines with deadlines that fail with what was seen. Imports `effect`, node:, src/.
import { Data, Effect, Option, Schema } from "effect"
import { type ChildProcess, spawn } from "node:child_process"
import { createServer } from "node:net"
import { fileURLToPath } from "node:url"
import { FleetResult } from "../../src/workflows/FleetResult.js"
import { ProvisionResult } from "../../src/workflows/ProvisionResult.js"

const childScript = fileURLToPath(new URL("./replica-child.ts", import.meta.url))

/** A line a replica prints (see replica-child.ts). */
export const Line = Schema.Union([
  Schema.Struct({ ready: Schema.Number }),
  Schema.Struct({
    event: Schema.Struct({
      _tag: Schema.String,
      executionId: Schema.String,
      step: Schema.optional(Schema.String),
      entry: Schema.optional(Schema.Struct({ key: Schema.String }))
    })
  }),
  Schema.Struct({ name: Schema.String, result: ProvisionResult }),
  Schema.Struct({ name: Schema.String, failed: Schema.String }),
  Schema.Struct({ fleet: Schema.String, answer: FleetResult }),
  Schema.Struct({ fleet: Schema.String, broke: Schema.String })
])
export type Line = typeof Line.Type

const decodeLine = Schema.decodeUnknownOption(Schema.fromJsonString(Line))

/** A replica's process, the lines it printed (decoded, with the time each arrived) and how it ended. */
export interface Replica {
  readonly name: string
  readonly port: number
  readonly process: ChildProcess
  readonly lines: Array<{ readonly at: number; readonly line: Line }>
  readonly stderr: Array<string>
  readonly exited: Promise<{ readonly code: number | null; readonly signal: NodeJS.Signals | null }>
  readonly startedAt: number
}

/** A port the OS says is free now. It may be taken again before the replica binds it: see {@link startReplica}. */
export const freePort = Effect.callback<number>((resume) => {
  const server = createServer()
  server.listen(0, "127.0.0.1", () => {
    const address = server.address()
    const port = typeof address === "object" && address !== null ? address.port : 0
    server.close(() => resume(Effect.succeed(port)))
  })
})

const spawnReplica = (name: string, port: number, env: Record<string, string>): Replica => {
  const child = spawn(process.execPath, ["--import", "tsx", childScript], {
    env: { ...process.env, ...env, RUNNER_HOST: "127.0.0.1", RUNNER_PORT: String(port) },
    stdio: ["pipe", "pipe", "pipe"]
  })
  const lines: Array<{ at: number; line: Line }> = []
  const stderr: Array<string> = []
  let buffered = ""
  child.stdout?.on("data", (chunk: Buffer) => {
    buffered += chunk.toString()
    const parts = buffered.split("\n")
    buffered = parts.pop() ?? ""
    for (const part of parts) {
      const line = decodeLine(part)
      if (Option.isSome(line)) lines.push({ at: Date.now(), line: line.value })
    }
  })
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr.push(chunk.toString())
    process.stderr.write(`[${name}] ${chunk.toString()}`)
  })
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal }))
  )
  return { name, port, process: child, lines, stderr, exited, startedAt: Date.now() }
}

/** A deadline passed: what was awaited, and what the replica had printed. */
export class Timeout extends Data.TaggedError("Timeout")<{ readonly message: string }> {}

/** Waits (polling every 20 ms) until `find` finds something in the replica's lines, for at most `seconds`. */
export const waitFor = <A>(
  replica: Replica,
  what: string,
  find: (lines: Replica["lines"]) => A | undefined,
  seconds: number
): Effect.Effect<A, Timeout> =>
  Effect.gen(function*() {
    while (true) {
      const found = find(replica.lines)
      if (found !== undefined) return found
      yield* Effect.sleep("20 millis")
    }
  }).pipe(
    Effect.timeoutOrElse({
      duration: `${seconds} seconds`,
      orElse: () =>
        Effect.fail(
          new Timeout({
            message: `${replica.name}: no ${what} within ${seconds} s; stderr: ${replica.stderr.join("").slice(-2000)}`
          })
        )
    })
  )

/** Once the replica says its engine is up: how long that took from the spawn, in ms (node and tsx loading the
 * modules, then the engine's layer: database, tables, registration, socket). */
export const ready = (replica: Replica) =>
  waitFor(replica, "ready line", (lines) => {
    for (const { at, line } of lines) if ("ready" in line) return at - replica.startedAt
    return undefined
  }, 60)

/**
 * Starts a replica on a free port and waits until it is up. A port taken between the look-up and the bind
 * (EADDRINUSE) makes the replica exit: it is started again on another port, up to 3 times.
 */
export const startReplica = (name: string, env: Record<string, string>) =>
  Effect.gen(function*() {
    for (let attempt = 1;; attempt++) {
      const replica = spawnReplica(name, yield* freePort, env)
      const outcome = yield* Effect.raceFirst(
        Effect.map(ready(replica), () => "ready" as const),
        Effect.map(Effect.promise(() => replica.exited), () => "exited" as const)
      )
      if (outcome === "ready") return replica
      if (attempt < 3 && replica.stderr.join("").includes("EADDRINUSE")) continue
      return yield* Effect.fail(new Timeout({ message: `${name} exited: ${replica.stderr.join("").slice(-2000)}` }))
    }
  })

/** Spawns replicas at once (no waiting between them), each on its own free port. */
export const spawnTogether = (names: ReadonlyArray<string>, env: Record<string, string>) =>
  Effect.gen(function*() {
    const ports: Array<number> = []
    for (const _ of names) ports.push(yield* freePort)
    return names.map((name, i) => spawnReplica(name, ports[i] ?? 0, env))
  })

/** Asks a replica to provision the spec of this name (durableSpec). */
export const provisionOn = (replica: Replica, name: string) =>
  Effect.sync(() => {
    replica.process.stdin?.write(`${name}\n`)
  })

/** The result the replica printed for a name, and when, once it has (a failure fails). */
export const resultOf = (replica: Replica, name: string, seconds: number) =>
  waitFor(replica, `result of ${name}`, (lines) => {
    for (const { at, line } of lines) {
      if ("result" in line && line.name === name) return Effect.succeed({ at, result: line.result })
      if ("failed" in line && line.name === name) {
        return Effect.fail(new Timeout({ message: `${replica.name}: ${name} failed: ${line.failed}` }))
      }
    }
    return undefined
  }, seconds).pipe(Effect.flatten)

/** A fleet for a replica to apply (see replica-child.ts): each spec an organization and its teams. */
export interface FleetCommand {
  readonly fleet: string
  readonly specs: ReadonlyArray<{ readonly organization: string; readonly teams: ReadonlyArray<string> }>
  readonly concurrency?: number
  readonly rateLimit?: "license" | "off"
}

/** Asks a replica to apply a fleet (Fleet.provisionAll on that replica). */
export const applyOn = (replica: Replica, command: FleetCommand) =>
  Effect.sync(() => {
    replica.process.stdin?.write(`${JSON.stringify(command)}\n`)
  })

/** The answer the replica printed for a fleet, and when, once it has (a failure fails). */
export const fleetResultOf = (replica: Replica, fleet: string, seconds: number) =>
  waitFor(replica, `answer of fleet ${fleet}`, (lines) => {
    for (const { at, line } of lines) {
      if ("fleet" in line && line.fleet === fleet) {
        return "answer" in line
          ? Effect.succeed({ at, result: line.answer })
          : Effect.fail(new Timeout({ message: `${replica.name}: fleet ${fleet} failed: ${line.broke}` }))
      }
    }
    return undefined
  }, seconds).pipe(Effect.flatten)

/** What a replica executed of the run of a spec name: the keys of the entities it printed as done, by step. */
export interface Executed {
  readonly executionId: string
  readonly organization: boolean
  readonly teams: ReadonlyArray<string>
  readonly finished: boolean
}

/**
 * The part of the run of this spec name whose body ran on this replica, from the progress it printed (a run's
 * events are published where its body runs); `undefined` when it printed none of it (the run is known by its
 * organization's entry, so a body that stopped before creating the organization does not count).
 */
export const executedOn = (replica: Replica, name: string): Executed | undefined => {
  const events = replica.lines.flatMap(({ line }) => "event" in line ? [line.event] : [])
  const executionId = events.find((event) =>
    event._tag === "EntityDone" && event.step === "organization" && event.entry?.key === name
  )?.executionId
  if (executionId === undefined) return undefined
  const of = events.filter((event) => event.executionId === executionId)
  return {
    executionId,
    organization: true,
    teams: of.flatMap((event) =>
      event._tag === "EntityDone" && event.step === "teams" && event.entry ? [event.entry.key] : []
    ),
    finished: of.some((event) => event._tag === "Finished")
  }
}

/** Kills the replica (SIGKILL, or SIGTERM when asked) unless it has exited; waits for its exit. */
export const stop = (replica: Replica, signal: NodeJS.Signals = "SIGKILL") =>
  Effect.promise(() => {
    if (replica.process.exitCode === null && replica.process.signalCode === null) replica.process.kill(signal)
    return replica.exited
  })
