// The bench's harness: child processes, the load generator, alternating rounds and their medians. Every comparison
// the bench reports is a ratio of medians measured in the same run, on the same machine, taking turns.
import { type ChildProcess, spawn } from "node:child_process"

/** The token every bench client sends (the fixed-answer server and the emulator accept it). */
export const token = "6c3e2a1f-5b7d-4e8a-9c0d-1f2e3a4b5c6d"
/** The headers the raw clients send, as the SDK and effect-make do. */
export const headers = { authorization: `Token ${token}`, accept: "application/json" }
/** `BENCH_QUICK=1`: one round, smaller counts; for developing the bench, not for figures. */
export const quick = process.env.BENCH_QUICK === "1"
/** Rounds per measurement: the machine is shared, so one run of a client can be off by 15 %. */
export const rounds = quick ? 1 : 3
/**
 * Rounds of the request-overhead section, whose ratios are the headline: on the shared 2-core machine one
 * client's req/s moved by up to 40 % between runs (undici.request's CPU per call from 95 to 145 µs), and a median
 * of five steadies the ratios more than a median of three.
 */
export const overheadRounds = quick ? 1 : 5

/** Starts a child process and resolves with the first line it prints (its port or base URL). */
export const start = (command: string, args: ReadonlyArray<string>, env: Record<string, string> = {}) =>
  new Promise<{ readonly child: ChildProcess; readonly line: string }>((resolve, reject) => {
    const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "inherit"] })
    let output = ""
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString()
      const newline = output.indexOf("\n")
      if (newline >= 0) resolve({ child, line: output.slice(0, newline).trim() })
    })
    child.once("error", reject)
    child.once("exit", (code) => reject(new Error(`${command} exited with ${code} before it was ready`)))
  })

/** The value at quantile `p` of an ascending array (NaN when empty). */
export const percentile = (sorted: ReadonlyArray<number>, p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? Number.NaN

/** The median (upper median for an even count: rounds are odd by design). */
export const median = (xs: ReadonlyArray<number>) => percentile([...xs].sort((a, b) => a - b), 0.5)

/** Rounds for display. */
export const round = (n: number, digits = 2) => Number(n.toFixed(digits))

/** The process's CPU time (user + system) in µs: the loopback server is another process, so this is the client's. */
export const cpuMicros = () => {
  const { system, user } = process.cpuUsage()
  return user + system
}

/** One round of one client. */
export interface LoadResult {
  readonly client: string
  readonly concurrency: number
  readonly requests: number
  readonly requestsPerSecond: number
  readonly cpuMicrosPerCall: number
  readonly p50Ms: number
  readonly p99Ms: number
}

/** Runs `call` `total` times, `concurrency` at a time, timing each call; returns throughput, CPU and latency. */
export const load = async (
  client: string,
  concurrency: number,
  total: number,
  call: () => Promise<unknown>
): Promise<LoadResult> => {
  const latencies: Array<number> = []
  let next = 0
  const worker = async () => {
    while (next < total) {
      next++
      const begin = performance.now()
      await call()
      latencies.push(performance.now() - begin)
    }
  }
  const cpuBefore = cpuMicros()
  const begin = performance.now()
  await Promise.all(Array.from({ length: concurrency }, worker))
  const seconds = (performance.now() - begin) / 1000
  const cpu = cpuMicros() - cpuBefore
  latencies.sort((a, b) => a - b)
  return {
    client,
    concurrency,
    requests: total,
    requestsPerSecond: total / seconds,
    cpuMicrosPerCall: cpu / total,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99)
  }
}

/**
 * Runs every contender `rounds` times, taking turns (so that a slow spell of the machine hits them all alike), and
 * returns each contender's samples in round order.
 */
export const alternating = async <A>(
  contenders: ReadonlyArray<readonly [string, () => Promise<A>]>,
  times = rounds
): Promise<Map<string, Array<A>>> => {
  const samples = new Map<string, Array<A>>(contenders.map(([name]) => [name, []]))
  for (let i = 0; i < times; i++) {
    for (const [name, run] of contenders) samples.get(name)?.push(await run())
  }
  return samples
}

/**
 * Measures every client in alternating rounds and keeps, per client, its median round by req/s, with the median
 * CPU per call over its rounds (CPU and req/s need not peak in the same round).
 */
export const interleaved = async (
  clients: ReadonlyArray<readonly [string, () => Promise<unknown>]>,
  concurrency: number,
  total: number,
  times = rounds
): Promise<Array<LoadResult>> => {
  for (const [name, call] of clients) await load(name, concurrency, Math.min(total, 1000), call) // warm-up: JIT, pool
  const samples = await alternating(
    clients.map(([name, call]) => [name, () => load(name, concurrency, total, call)]),
    times
  )
  return clients.map(([name]) => {
    const xs = samples.get(name) ?? []
    const sorted = [...xs].sort((a, b) => a.requestsPerSecond - b.requestsPerSecond)
    const middle = sorted[Math.floor(sorted.length / 2)]
    if (middle === undefined) throw new Error(`no sample for ${name}`)
    return { ...middle, cpuMicrosPerCall: median(xs.map((x) => x.cpuMicrosPerCall)) }
  })
}

/** Runs `run` once, sampling RSS every 5 ms: wall time and peak RSS growth over the start. */
export const measureRss = async <A>(run: () => Promise<A>) => {
  globalThis.gc?.()
  const before = process.memoryUsage().rss
  let peak = before
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss)
  }, 5)
  const begin = performance.now()
  const value = await run()
  const ms = performance.now() - begin
  clearInterval(timer)
  peak = Math.max(peak, process.memoryUsage().rss)
  return { value, ms, rssGrowthMb: (peak - before) / 2 ** 20 }
}
