// The replicas section: `Fleet.provisionAll` on the durable engine's replicas (DurableEngine.layerReplica, each a
// process of its own: bench/replica.ts as bench/shipped.ts bundled it) sharing one PostgreSQL database, against the
// emulator at 20 ms of latency (served by this process): wall time and requests per second of a fleet on 1 replica
// and on 3; then a fleet whose organizations each need more than a minute's worth of requests under a 60/min limit,
// in real time, against the bound the limits allow. Imports `effect`, node:, src/testing, bench/ (psql for the
// databases).
import { Effect, Layer, ManagedRuntime } from "effect"
import { HttpServer } from "effect/http"
import type { ChildProcess } from "node:child_process"
import { execFileSync, spawn } from "node:child_process"
import { createServer } from "node:net"
import { join } from "node:path"
import * as Emulator from "../src/testing/Emulator.js"
import { median, quick, round } from "./harness.js"
import { lowerBound, organizationOf } from "./workflow.js"

/**
 * Rounds of the fleet's speed: each round starts 1 + 3 + 3 replica processes and three databases (about 10 s of
 * start-up for 3 replicas together, not timed), so three alternating rounds, their medians.
 */
const fleetRounds = quick ? 1 : 3
/**
 * The fleet: 100 specs, each one organization and 5 teams; 16 specs' runs at once on every set-up. The headline set-up
 * applies it from one replica (the coordinator, as `effect-make apply` run on one replica would): each run executes on
 * the replica holding its execution's shard, so the replicas share the runs as the shards fall, and the only
 * difference between 1 and 3 is where the runs execute. The other gives each replica a share (34/33/33 specs, 6/5/5
 * at once), as replicas each serving their own callers would: the same runs at once, without the coordinator's hops
 * for the runs it does not hold (most still execute elsewhere: a run's shard is its execution id's). The runs' limit
 * is off: under the default (`license`) the 2 × 100 requests about no organization yet (look-up, create) share one
 * window of the lowest plan, 60 a minute, across the cluster, and that window, not the replicas, sets the wall time
 * (182 s on 1 replica in one trial).
 */
const fleet = { specs: 100, teams: 5, concurrency: 16 } as const
/**
 * The limited fleet: each organization needs 1 + 70 requests (its held sync read and its team creates) against 60 a
 * minute, so the last 11 wait a minute; 20 specs keep the 2 × 20 requests about no organization (look-up and create)
 * under the 60 a minute they share. Every run at once, so the bound is that of runs starting together: 60 s. Make's
 * window (the emulator's, and the runs') is a real minute, so this case takes a minute of real time per measurement
 * rather than the TestClock's: one round, on 3 replicas.
 *
 * The replicas share one window per organization (`DurableEngine.layerReplicaWorkflowsConfig`, `ClusterLimits`); the
 * requests about no organization share one more, and the 40 keep under its 60.
 */
const limited = { specs: 20, teams: quick ? 65 : 70, concurrency: 20, limit: 60 } as const
const shards = 300

const socket = "/var/run/postgresql"
const psql = (database: string, query: string) =>
  execFileSync("psql", ["-h", socket, "-U", "root", "-d", database, "-Atc", query], { encoding: "utf8" }).trim()

/** A database of its own for one measurement, dropped after it. */
const withDatabase = async <A>(f: (database: string) => Promise<A>): Promise<A> => {
  const database = `effect_make_bench_${Date.now()}_${Math.floor(Math.random() * 1e6)}`
  psql("postgres", `CREATE DATABASE ${database}`)
  try {
    return await f(database)
  } finally {
    psql("postgres", `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`)
  }
}

/** The emulator in this process on a free port, 20 ms on every request, organizations readable at once. */
const withEmulator = async <A>(
  rateLimit: number | undefined,
  f: (baseUrl: string, log: () => Promise<ReadonlyArray<Emulator.RecordedRequest>>) => Promise<A>
): Promise<A> => {
  const runtime = ManagedRuntime.make(Layer.orDie(Emulator.layer({
    port: 0,
    syncDelay: "0 millis",
    faults: { seed: 1, latency: { probability: 1, duration: "20 millis" } },
    ...(rateLimit === undefined ? {} : { rateLimit: { perMinute: rateLimit } })
  })))
  try {
    const server = await runtime.runPromise(Effect.service(HttpServer.HttpServer))
    const baseUrl = `${HttpServer.formatAddress(server.address)}${Emulator.basePath}`
    return await f(baseUrl, () => runtime.runPromise(Emulator.requests))
  } finally {
    await runtime.dispose()
  }
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer()
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      const port = typeof address === "object" && address !== null ? address.port : 0
      server.close(() => resolve(port))
    })
  })

/** A replica process and the JSON lines it printed. */
interface Replica {
  readonly child: ChildProcess
  readonly lines: Array<Record<string, unknown>>
  readonly stderr: Array<string>
}

const spawnReplica = (script: string, env: Record<string, string>, port: number): Replica => {
  const child = spawn(process.execPath, [script], {
    env: { ...process.env, ...env, RUNNER_HOST: "127.0.0.1", RUNNER_PORT: String(port) },
    stdio: ["pipe", "pipe", "pipe"]
  })
  const lines: Array<Record<string, unknown>> = []
  const stderr: Array<string> = []
  let buffered = ""
  child.stdout?.on("data", (chunk: Buffer) => {
    buffered += chunk.toString()
    const parts = buffered.split("\n")
    buffered = parts.pop() ?? ""
    for (const part of parts) {
      try {
        const value: unknown = JSON.parse(part)
        if (typeof value === "object" && value !== null) lines.push({ ...value })
      } catch {
        // not a line of ours (a log line)
      }
    }
  })
  child.stderr?.on("data", (chunk: Buffer) => stderr.push(chunk.toString()))
  return { child, lines, stderr }
}

/** Polls `find` every 100 ms for at most `seconds`; fails saying what it waited for. */
const until = async <A>(what: string, seconds: number, find: () => A | undefined): Promise<A> => {
  const deadline = performance.now() + seconds * 1000
  while (performance.now() < deadline) {
    const found = find()
    if (found !== undefined) return found
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error(`replicas bench: no ${what} within ${seconds} s`)
}

/** The sessions holding shard locks, as `pid|count` lines (the cluster takes them as advisory locks on key pairs). */
const shardHolders = (database: string) =>
  psql(
    database,
    "SELECT count(*)::int || '|' || coalesce(sum(n), 0)::int FROM (SELECT pid, count(*) AS n FROM pg_locks " +
      "WHERE locktype = 'advisory' AND objsubid = 2 AND granted " +
      "AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) GROUP BY pid) AS holders"
  )

interface Measurement {
  readonly wallMs: number
  readonly requests: number
  readonly responses429: number
  readonly perOrganization: number
  readonly startupMs: number
  /** The runs each replica executed to their end, e.g. `34/33/33`. */
  readonly runsExecuted: string
}

/** A fleet as a replica takes it on stdin (bench/replica.ts). */
interface Order {
  readonly prefix: string
  readonly specs: number
  readonly teams: number
  readonly concurrency: number
  readonly limit: number | "off" | "license"
}

/**
 * How the fleet is submitted: all of it from the first replica (`coordinator`), or a share from each replica
 * (`shares`: its specs and its concurrency split as evenly as they go, the same in all).
 */
type Submit = "coordinator" | "shares"

/** `total` split into `parts` whole shares differing by at most one. */
const split = (total: number, parts: number) =>
  Array.from({ length: parts }, (_, i) => Math.floor(total / parts) + (i < total % parts ? 1 : 0))

const orders = (order: Order, replicas: number, submit: Submit): ReadonlyArray<Order> => {
  if (submit === "coordinator") return [order]
  const concurrency = split(order.concurrency, replicas)
  return split(order.specs, replicas).map((specs, i) => ({
    ...order,
    prefix: `${order.prefix}-${i + 1}`,
    specs,
    concurrency: Math.max(1, concurrency[i] ?? 1)
  }))
}

/** The `done` line of a replica once it has printed it: the fleet's wall time there, and its failures. */
const doneOf = (replica: Replica) => {
  const line = replica.lines.find((l) => "done" in l)?.done
  if (typeof line !== "object" || line === null) return undefined
  return {
    ms: "ms" in line && typeof line.ms === "number" ? line.ms : Number.NaN,
    failed: "failed" in line && typeof line.failed === "number" ? line.failed : -1,
    failure: "failure" in line ? String(line.failure) : ""
  }
}

/**
 * One measurement: a fresh database and emulator, `replicas` processes started together, timed from when every one
 * holds its share of the shards (the fleet then never waits on a rebalance); the wall time is the slowest submitting
 * replica's, from its `provisionAll` call to its answer (the orders are written to every replica at once).
 */
const measure = (script: string, replicas: number, order: Order, submit: Submit): Promise<Measurement> =>
  withDatabase((database) =>
    withEmulator(typeof order.limit === "number" ? order.limit : undefined, async (baseUrl, log) => {
      const env = { MAKE_BASE_URL: baseUrl, PGHOST: socket, PGUSER: "root", PGDATABASE: database }
      const began = performance.now()
      const ports: Array<number> = []
      for (let i = 0; i < replicas; i++) ports.push(await freePort())
      const started = ports.map((port) => spawnReplica(script, env, port))
      try {
        for (const replica of started) {
          await until("ready line", 60, () => {
            if (replica.child.exitCode !== null) throw new Error(`a replica exited: ${replica.stderr.join("")}`)
            return replica.lines.find((line) => "ready" in line)
          })
        }
        await until(`${replicas} shard holders`, 60, () =>
          shardHolders(database) === `${replicas}|${shards}` ? true : undefined)
        const startupMs = performance.now() - began
        const submitting = orders(order, replicas, submit).map((o, i) => {
          const replica = started[i]
          if (replica === undefined) throw new Error("replicas bench: more shares than replicas")
          replica.child.stdin?.write(`${JSON.stringify(o)}\n`)
          return replica
        })
        const done = await until("fleet results", 600, () => {
          const all = submitting.map(doneOf)
          return all.every((d) => d !== undefined) ? all.flatMap((d) => d === undefined ? [] : [d]) : undefined
        })
        const failed = done.filter((d) => d.failed !== 0)
        if (failed.length > 0) {
          const why = failed.map((d) => `${d.failed} (${d.failure})`).join("; ")
          throw new Error(`replicas bench: a fleet failed: ${why}`)
        }
        const wallMs = Math.max(...done.map((d) => d.ms))
        // a run's last progress line may reach us after its result reached its caller: wait a little for them all
        const finished = () => started.reduce((n, r) => n + r.lines.filter((line) => "finished" in line).length, 0)
        await until("progress lines", 5, () => finished() >= order.specs ? true : undefined).catch(() => undefined)
        const requests = await log()
        const perOrganization = new Map<string, number>()
        for (const request of requests) {
          const key = organizationOf(request)
          if (key !== undefined) perOrganization.set(key, (perOrganization.get(key) ?? 0) + 1)
        }
        return {
          wallMs,
          requests: requests.length,
          responses429: requests.filter((request) => request.status === 429).length,
          perOrganization: Math.max(0, ...perOrganization.values()),
          startupMs,
          runsExecuted: started.map((replica) => replica.lines.filter((line) => "finished" in line).length).join("/")
        }
      } finally {
        for (const replica of started) replica.child.kill("SIGKILL")
        await Promise.all(started.map((replica) =>
          replica.child.exitCode !== null || replica.child.signalCode !== null
            ? Promise.resolve()
            : new Promise((resolve) => replica.child.once("exit", resolve))
        ))
      }
    })
  )

/** A row of the limited fleet: the bound the limits allow, the wall time, their ratio and the 429s met. */
export interface LimitedRow {
  readonly replicas: number
  readonly specs: number
  readonly teamsEach: number
  readonly limitPerMinute: number
  readonly requestsSentPerOrganization: number
  readonly requests: number
  readonly runsExecuted: string
  readonly lowerBoundS: number
  readonly wallS: number
  readonly ratio: number
  readonly responses429: number
}

/** The set-ups of the fleet's speed, in the order each round runs them. */
const setups: ReadonlyArray<{ readonly replicas: number; readonly submit: Submit }> = [
  { replicas: 1, submit: "coordinator" },
  { replicas: 3, submit: "coordinator" },
  { replicas: 3, submit: "shares" }
]

/**
 * The section: the fleet on 1 replica and on 3 (submitted from one, or a share from each) in alternating rounds
 * (medians), then the limited fleet on 3 replicas (one round: it takes over a minute of real time).
 */
export const replicasSection = async (root: string) => {
  const script = join(root, "node_modules/.cache/effect-make-bench/replica.mjs")
  let runs = 0
  const samples = setups.map(() => new Array<Measurement>())
  for (let i = 0; i < fleetRounds; i++) {
    for (const [k, { replicas, submit }] of setups.entries()) {
      samples[k]?.push(await measure(script, replicas, { ...fleet, limit: "off", prefix: `Fleet ${++runs}` }, submit))
    }
  }
  const speedRows = setups.map(({ replicas, submit }, k) => {
    const xs = samples[k] ?? []
    const wallMs = median(xs.map((x) => x.wallMs))
    const requests = median(xs.map((x) => x.requests))
    return {
      replicas,
      submit,
      wallMs: round(wallMs, 0),
      requests,
      requestsPerSecond: round(requests / (wallMs / 1000), 0),
      responses429: Math.max(...xs.map((x) => x.responses429)),
      startupMs: round(median(xs.map((x) => x.startupMs)), 0),
      runsExecuted: xs.map((x) => x.runsExecuted).join(", "),
      roundsMs: xs.map((x) => round(x.wallMs, 0)).join(" / ")
    }
  })
  const one = speedRows[0]?.wallMs ?? Number.NaN
  const speed = speedRows.map((row) => ({ ...row, speedupOver1: round(one / row.wallMs) }))
  console.log(
    `\nFleet on replicas: ${fleet.specs} specs x (1 organization + ${fleet.teams} teams), ${fleet.concurrency} runs at` +
      ` once (from the first replica, or split over the three), the runs' limit off, 20 ms emulator latency, one` +
      ` PostgreSQL database per measurement, timed once every replica holds its shards` +
      ` (median of ${fleetRounds} alternating rounds; 2 cores shared by the replicas, the emulator and PostgreSQL)`
  )
  console.table(speed)
  const bound = lowerBound(limited.specs, limited.teams, limited.limit, 0)
  const limitedRows: Array<LimitedRow> = []
  for (const replicas of [3]) {
    const m = await measure(script, replicas, { ...limited, prefix: `Limited ${++runs}` }, "coordinator")
    limitedRows.push({
      replicas,
      specs: limited.specs,
      teamsEach: limited.teams,
      limitPerMinute: limited.limit,
      requestsSentPerOrganization: m.perOrganization,
      requests: m.requests,
      runsExecuted: m.runsExecuted,
      lowerBoundS: round(bound / 1000, 2),
      wallS: round(m.wallMs / 1000, 2),
      ratio: round(m.wallMs / bound),
      responses429: m.responses429
    })
  }
  console.log(
    `\nFleet on replicas under a ${limited.limit}/min per-organization limit (the emulator's and the runs'), real time:` +
      ` ${limited.specs} specs x (1 organization + ${limited.teams} teams), all at once; the bound the limits allow`
  )
  console.table(limitedRows)
  return { speed, limited: limitedRows }
}
