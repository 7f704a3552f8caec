// The client-side rate limiter: per organization a request concerns, a sliding-window log that lets at most the limit
// start in any 60 seconds, shared by every service of one client. Internal to MakeClient; imports `effect`, platform.
/**
 * @since 0.1.0
 * @internal
 */
import type { HttpClientRequest } from "@effect/platform"
import { Duration, Effect, FiberRef, MutableList, Predicate, type RateLimiter } from "effect"
import { globalValue } from "effect/GlobalValue"

const organizationInPath = /\/organizations\/(\d+)(?:\/|$)/

const organizationInBody = (request: HttpClientRequest.HttpClientRequest): string | undefined => {
  if (request.body._tag !== "Uint8Array") return undefined
  try {
    const parsed: unknown = JSON.parse(new TextDecoder().decode(request.body.body))
    return Predicate.hasProperty(parsed, "organizationId") && typeof parsed.organizationId === "number"
      ? String(parsed.organizationId)
      : undefined
  } catch {
    return undefined
  }
}

/**
 * The key of requests that concern no organization.
 *
 * @internal
 */
export const sharedKey = "shared"

/**
 * The organization a request counts against: its path (`/organizations/11/...`), its `organizationId` query
 * (`GET /admin/teams`) or body (`POST /admin/teams`); requests about no organization share one key.
 *
 * @internal
 */
export const organizationKey = (request: HttpClientRequest.HttpClientRequest): string => {
  const fromPath = organizationInPath.exec(request.url)?.[1]
  const fromQuery = request.urlParams.find(([name]) => name === "organizationId")?.[1]
  return fromPath ?? fromQuery ?? organizationInBody(request) ?? sharedKey
}

/** A request waiting for its turn; `wake` resumes it when it reaches the front of the queue. */
interface Waiter {
  wake: () => void
  gone: boolean
}

/**
 * One key's window: the start times of its requests in the last `windowMillis` (a log, oldest first; older ones are
 * dropped as new ones start, so it holds at most about `limit` of them whatever the limit) and the requests waiting,
 * first come first served. Only the one at the front of the queue ever sleeps; the others wait to be woken by it.
 * Plain mutable state: every change happens inside one synchronous step of a fiber, so no two interleave.
 *
 * @internal
 */
export class SlidingWindow {
  private starts: Array<number> = []
  /** Index in `starts` of the oldest start still in the window. */
  private first = 0
  private readonly queue = MutableList.empty<Waiter>()
  /** Requests in the queue that are still waiting (those interrupted are skipped when they reach the front). */
  private waiting = 0

  constructor(public limit: number, readonly windowMillis: number) {}

  /**
   * Changes the limit from now on. Every start of the last window is still in the log, so the new limit holds over
   * them at once; a request sleeping for the old limit wakes no earlier than it would have (late when it was raised,
   * never early: it looks again when it wakes).
   */
  setLimit(limit: number): void {
    this.limit = limit
  }

  /** When the next request may start: a window after the `limit`-th latest start (at once while fewer started). */
  readyAt(): number {
    const limiting = this.starts.length - this.limit
    return limiting < this.first
      ? Number.NEGATIVE_INFINITY
      : (this.starts[limiting] ?? Number.NEGATIVE_INFINITY) + this.windowMillis
  }

  /** Whether a request arriving at `now` may start at once: nobody waits before it and the window has room. */
  admitsAt(now: number): boolean {
    return this.waiting === 0 && this.readyAt() <= now
  }

  /** Counts a request started at `now`, dropping the starts that left the window. */
  start(now: number): void {
    this.starts.push(now)
    while ((this.starts[this.first] ?? now) <= now - this.windowMillis) this.first++
    if (this.first > 1024 && this.first * 2 > this.starts.length) {
      this.starts = this.starts.slice(this.first)
      this.first = 0
    }
  }

  /** Queues a waiter, waking it at once when nobody is before it. */
  join(waiter: Waiter): void {
    MutableList.append(this.queue, waiter)
    this.waiting++
    if (MutableList.head(this.queue) === waiter) waiter.wake()
  }

  /** Takes a waiter out (it started, or was interrupted), waking the next one when it was at the front. */
  leave(waiter: Waiter): void {
    if (waiter.gone) return
    waiter.gone = true
    this.waiting--
    if (MutableList.head(this.queue) !== waiter) return
    MutableList.shift(this.queue)
    let next = MutableList.head(this.queue)
    while (next !== undefined && next.gone) {
      MutableList.shift(this.queue)
      next = MutableList.head(this.queue)
    }
    next?.wake()
  }
}

/** At the front of the queue: sleeps until the window has room, then starts. */
const awaitRoom = (window: SlidingWindow): Effect.Effect<void> =>
  Effect.clockWith((clock) => {
    const now = clock.unsafeCurrentTimeMillis()
    const readyAt = window.readyAt()
    if (readyAt <= now) return Effect.sync(() => window.start(now))
    return Effect.zipRight(Effect.sleep(Duration.millis(readyAt - now)), awaitRoom(window))
  })

/** Waits for the turn of a request that could not start at once; leaving the queue however it ends. */
const awaitTurn = (window: SlidingWindow): Effect.Effect<void> =>
  Effect.suspend(() => {
    const waiter: Waiter = { wake: () => undefined, gone: false }
    return Effect.async<void>((resume) => {
      waiter.wake = () => resume(Effect.void)
      window.join(waiter)
    }).pipe(
      Effect.zipRight(awaitRoom(window)),
      Effect.ensuring(Effect.sync(() => window.leave(waiter)))
    )
  })

/** The limiter over one window's state. */
const limiterOf = (state: SlidingWindow): RateLimiter.RateLimiter => (task) =>
  Effect.clockWith((clock) => {
    const now = clock.unsafeCurrentTimeMillis()
    if (!state.admitsAt(now)) return Effect.zipRight(awaitTurn(state), task)
    state.start(now)
    return task
  })

/**
 * A limiter that lets at most `limit` tasks start in any span of `window` (a sliding-window log): a task starts at once
 * when fewer than `limit` started in the `window` before it and nobody waits; otherwise it waits its turn (first come,
 * first served) and starts the moment the oldest of the last `limit` starts leaves the window. Unlike fixed windows
 * (up to twice the limit across a boundary) or a token bucket (a full bucket plus its refill), no span of `window` ever
 * holds more than `limit` starts, whichever way the server counts its minute. A task interrupted while it waits takes
 * no place. No fiber is forked: a task that can start at once costs one clock read, one waiting costs one sleep.
 *
 * @internal
 */
export const makeSliding = (limit: number, window: Duration.DurationInput): RateLimiter.RateLimiter =>
  limiterOf(new SlidingWindow(limit, Duration.toMillis(window)))

/**
 * Makes `limit(key)`: the limiter of one key, at most `requestsPerMinute` requests starting in any 60 seconds (see
 * {@link makeSliding}), made on first use. A request is counted when it starts (each attempt of a retried call counts).
 *
 * @internal
 */
export const makeKeyed = (
  requestsPerMinute: number
): Effect.Effect<(key: string) => Effect.Effect<RateLimiter.RateLimiter>> =>
  Effect.sync(() => {
    const limiters = new Map<string, RateLimiter.RateLimiter>()
    return (key) =>
      Effect.sync(() => {
        const existing = limiters.get(key)
        if (existing !== undefined) return existing
        const made = makeSliding(requestsPerMinute, Duration.minutes(1))
        limiters.set(key, made)
        return made
      })
  })

/**
 * Sliding-window limiters by key whose limit can change (learned from a licence): what a provisioning run throttles
 * its requests with, shared by the runs of one process. A key's limit is `initial` until {@link Registry.setLimit}.
 *
 * @internal
 */
export interface Registry {
  readonly limiter: (key: string) => RateLimiter.RateLimiter
  readonly setLimit: (key: string, requestsPerMinute: number) => void
}

/**
 * Makes a {@link Registry}: a key's limiter (at most its limit starting in any 60 seconds) is made on first use.
 *
 * @internal
 */
export const makeRegistry = (initial: (key: string) => number): Registry => {
  const windows = new Map<string, { readonly state: SlidingWindow; readonly limiter: RateLimiter.RateLimiter }>()
  const entry = (key: string) => {
    const existing = windows.get(key)
    if (existing !== undefined) return existing
    const state = new SlidingWindow(initial(key), Duration.toMillis(Duration.minutes(1)))
    const made = { state, limiter: limiterOf(state) }
    windows.set(key, made)
    return made
  }
  return {
    limiter: (key) => entry(key).limiter,
    setLimit: (key, requestsPerMinute) => entry(key).state.setLimit(requestsPerMinute)
  }
}

/**
 * A limit the calling fiber adds to the client's own, per attempt: given the key a request counts against
 * ({@link organizationKey}), the limiter it must also pass. Unset (`undefined`) outside a provisioning run's
 * activities; the workflows set it with `Effect.locally` around each call to Make, since only the client's pipeline
 * sees each attempt (retries, pages of a stream, the reads of a sync wait).
 *
 * @internal
 */
export const fiberLimiter: FiberRef.FiberRef<((key: string) => RateLimiter.RateLimiter) | undefined> = globalValue(
  Symbol.for("effect-make/internal/rateLimiter/fiberLimiter"),
  () => FiberRef.unsafeMake<((key: string) => RateLimiter.RateLimiter) | undefined>(undefined)
)
