// The client's sliding-window rate limiter: per organization, at most the limit of requests in flight or answered in
// the last 60 s; keyed windows dropped when idle; the workflows' registry. Floor 2 (internal): imports only `effect`.
/**
 * @since 1.0.0
 * @internal
 */
import { Context, Deferred, Duration, Effect, Exit } from "effect"

/**
 * What a limiter does to a task: runs it once it has a permit, holding the permit until it ends (and a window
 * after). Effect 4 has no `RateLimiter` of this shape in `effect` (its `effect/persistence` one is store-backed, with
 * fixed windows or a token bucket, which let more than the limit through in some 60 s), so the type is ours.
 *
 * @internal
 */
export interface Limiter {
  <A, E, R>(task: Effect.Effect<A, E, R>): Effect.Effect<A, E, R>
}

/**
 * The organization a request counts against, as the operation that sends it knows it: `undefined` for a request
 * about no organization (those share one window). The Effect 3 line read it back out of the URL and the JSON body;
 * here the caller passes it, so a request is never counted against the wrong organization by a path that happens to
 * look like `/organizations/{id}` or a body that happens to carry an `organizationId`.
 *
 * @internal
 */
export type OrganizationId = number | undefined

/**
 * A request waiting for its turn: `turn` is completed when it reaches the front of the queue (possibly at once, when
 * it joins an empty queue, before its fiber waits on it). `holds` is set in the step that takes its permit, so that a
 * waiter interrupted right after gives the permit back.
 */
interface Waiter {
  readonly turn: Deferred.Deferred<void>
  gone: boolean
  holds: boolean
}

const wake = (waiter: Waiter): void => {
  Deferred.doneUnsafe(waiter.turn, Exit.void)
}

/**
 * A first-in first-out queue of waiters: Effect 4's `MutableList` has no `head` to look at the front without
 * taking it, so an array and the index of its front, compacted as the front moves on.
 */
class WaitQueue {
  private items: Array<Waiter> = []
  private front = 0

  head(): Waiter | undefined {
    return this.items[this.front]
  }

  append(waiter: Waiter): void {
    this.items.push(waiter)
  }

  shift(): void {
    this.front++
    if (this.front === this.items.length) {
      this.items = []
      this.front = 0
    } else if (this.front > 1024 && this.front * 2 > this.items.length) {
      this.items = this.items.slice(this.front)
      this.front = 0
    }
  }
}

/**
 * One key's window of permits. A request holds a permit from the moment it is sent until `windowMillis` after its
 * answer came back (or it failed, or was interrupted): at most `limit` are held at any time. The permits in flight
 * are counted; those given back are a log of their release times (oldest first; older than a window are dropped as
 * new ones come back, so it holds at most about `limit` of them whatever the limit). The requests waiting queue first
 * come, first served; only the one at the front ever sleeps, the others wait to be woken by it. Plain mutable state:
 * every change happens inside one synchronous step of a fiber, so no two interleave.
 *
 * Why the window runs from the answer and not from the send: Make counts a request when it arrives, and a request sent
 * at `s` arrives at some `a` in `[s + dmin, s + dmax]`, where the latency's spread is unknown (and grows under load).
 * Two requests sent exactly a minute apart, the first slow and the second fast, arrive less than a minute apart, so a
 * log of send times lets the server see `limit + 1` arrivals in one of its 60 s windows. The answer comes back after
 * the request arrived (`r >= a`), so a permit held until `r + window` bounds arrivals whatever the latency: take any
 * span of a window on the server's clock and the request `k` of it sent last. Every other request `i` of the span
 * arrived less than a window before `k` did, so `r_i >= a_i > a_k - window >= s_k - window`: when `k` was sent, `i`
 * was either in flight or answered less than a window before, and held its permit. So the span holds at most the
 * `limit` permits held at `s_k`. The cost is one round trip per permit and window (a request waits for the answer a
 * minute ago, not its send), against a fixed margin that would have to cover the worst spread of latency every minute.
 * On an instant transport (the in-process emulator on TestClock) answer and send coincide and this is a log of starts.
 *
 * @internal
 */
export class SlidingWindow {
  private releases: Array<number> = []
  /** Index in `releases` of the oldest release still in the window. */
  private first = 0
  /** Permits held by requests sent and not yet answered. */
  private inFlight = 0
  /** Made when the first request waits: most windows never have one. */
  private queue: WaitQueue | undefined = undefined
  /** Requests in the queue that are still waiting (those interrupted are skipped when they reach the front). */
  private waiting = 0
  /** Completed when a permit comes back, made when the request at the front finds every permit in flight. */
  private released: Deferred.Deferred<void> | undefined = undefined

  constructor(public limit: number, readonly windowMillis: number) {}

  /**
   * Changes the limit from now on. Every permit held is still counted (in flight, or released within the last
   * window), so the new limit holds over them at once; a request waiting for the old limit wakes no earlier than it
   * would have (late when it was raised, never early: it looks again when it wakes).
   */
  setLimit(limit: number): void {
    this.limit = limit
  }

  /**
   * When the next request may be sent: at once while fewer than `limit` permits are held; a window after the release
   * that frees the `limit`-th permit; never (`Infinity`) while all `limit` are in flight, until one comes back.
   */
  readyAt(): number {
    const free = this.limit - this.inFlight
    if (free <= 0) return Number.POSITIVE_INFINITY
    const limiting = this.releases.length - free
    return limiting < this.first
      ? Number.NEGATIVE_INFINITY
      : (this.releases[limiting] ?? Number.NEGATIVE_INFINITY) + this.windowMillis
  }

  /** Whether a request arriving at `now` may be sent at once: nobody waits before it and a permit is free. */
  admitsAt(now: number): boolean {
    return this.waiting === 0 && this.readyAt() <= now
  }

  /**
   * Whether the window is idle at `now`: nobody waits, nothing is in flight, and no permit came back within the last
   * `windowMillis`. From then on it decides exactly as a new window of the same limit would: `readyAt` only looks at
   * releases less than a window old, and its queue is empty. So dropping it, and making a new one when the key comes
   * back, changes no decision. (A window with a request in flight is kept: its answer gives the permit back to it.)
   */
  idleAt(now: number): boolean {
    return this.waiting === 0 && this.inFlight === 0 &&
      (this.releases.at(-1) ?? Number.NEGATIVE_INFINITY) + this.windowMillis <= now
  }

  /** Takes a permit for a request sent now. */
  start(): void {
    this.inFlight++
  }

  /** Gives back the permit of a request answered (or failed, or interrupted) at `now`, held until a window later. */
  release(now: number): void {
    this.inFlight--
    this.releases.push(now)
    while ((this.releases[this.first] ?? now) <= now - this.windowMillis) this.first++
    if (this.first > 1024 && this.first * 2 > this.releases.length) {
      this.releases = this.releases.slice(this.first)
      this.first = 0
    }
    const released = this.released
    if (released !== undefined) {
      this.released = undefined
      Deferred.doneUnsafe(released, Exit.void)
    }
  }

  /** What the request at the front waits on while every permit is in flight: the next one to come back. */
  nextRelease(): Deferred.Deferred<void> {
    return this.released ?? (this.released = Deferred.makeUnsafe<void>())
  }

  /** Queues a waiter, waking it at once when nobody is before it. */
  join(waiter: Waiter): void {
    const queue = this.queue ?? (this.queue = new WaitQueue())
    queue.append(waiter)
    this.waiting++
    if (queue.head() === waiter) wake(waiter)
  }

  /** Takes a waiter out (it started, or was interrupted), waking the next one when it was at the front. */
  leave(waiter: Waiter): void {
    if (waiter.gone) return
    waiter.gone = true
    this.waiting--
    const queue = this.queue
    if (queue === undefined || queue.head() !== waiter) return
    queue.shift()
    let next = queue.head()
    while (next !== undefined && next.gone) {
      queue.shift()
      next = queue.head()
    }
    if (next !== undefined) wake(next)
  }
}

/** Gives the permit back when `task` ends, however it ends, at the time it ends. */
const holding = <A, E, R>(window: SlidingWindow, task: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.onExit(
    task,
    () => Effect.clockWith((clock) => Effect.sync(() => window.release(clock.currentTimeMillisUnsafe())))
  )

/**
 * At the front of the queue: sleeps until the window has room (or, every permit in flight, until one comes back),
 * then takes a permit, marking the waiter as holding it in the same step.
 */
const awaitRoom = (window: SlidingWindow, waiter: Waiter): Effect.Effect<void> =>
  Effect.clockWith((clock) => {
    const now = clock.currentTimeMillisUnsafe()
    const readyAt = window.readyAt()
    if (readyAt <= now) {
      return Effect.sync(() => {
        window.start()
        waiter.holds = true
      })
    }
    const wait = readyAt === Number.POSITIVE_INFINITY
      ? Deferred.await(window.nextRelease())
      : Effect.sleep(Duration.millis(readyAt - now))
    return Effect.andThen(wait, awaitRoom(window, waiter))
  })

/**
 * Finds the window of a request arriving at `now` (a keyed one may be made or dropped between two steps of a fiber,
 * so a request looks it up in the very step it starts in or joins its queue, never earlier).
 */
type WindowAt = (now: number) => SlidingWindow

/**
 * Runs `task` once it has a permit, holding it until `task` ends. Uninterruptible except while waiting and inside
 * `task`, so a permit taken is always given back: a request interrupted while it waits leaves the queue (and gives
 * back the permit it took in its last step, if it did), one interrupted in flight gives it back when it stops.
 */
const withPermit = <A, E, R>(windowAt: WindowAt, task: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.uninterruptibleMask((restore) =>
    Effect.clockWith((clock) => {
      const now = clock.currentTimeMillisUnsafe()
      const window = windowAt(now)
      if (window.admitsAt(now)) {
        window.start()
        return holding(window, restore(task))
      }
      const waiter: Waiter = { turn: Deferred.makeUnsafe<void>(), gone: false, holds: false }
      window.join(waiter)
      return restore(Effect.andThen(Deferred.await(waiter.turn), awaitRoom(window, waiter))).pipe(
        Effect.onExit((exit) =>
          Effect.clockWith((clock) =>
            Effect.sync(() => {
              window.leave(waiter)
              if (Exit.isFailure(exit) && waiter.holds) window.release(clock.currentTimeMillisUnsafe())
            })
          )
        ),
        Effect.andThen(holding(window, restore(task)))
      )
    })
  )

/**
 * The limiter over the window `windowAt` finds. A task that may start at once costs one clock read, one lookup and
 * the finalizer that gives its permit back: no fiber, no semaphore.
 */
const limiterAt = (windowAt: WindowAt): Limiter => (task) => withPermit(windowAt, task)

/**
 * A limiter that lets at most `limit` tasks hold a permit at once, a task holding its permit from its start until
 * `window` after it ends (see {@link SlidingWindow} for why the end): a task starts at once when a permit is free and
 * nobody waits; otherwise it waits its turn (first come, first served) and starts the moment a permit is free. Its
 * starts are a sliding-window log and more: no span of `window` ever holds more than `limit` starts, nor, on the
 * server's clock, more than `limit` arrivals whatever the latency. Unlike fixed windows (up to twice the limit across a
 * boundary) or a token bucket (a full bucket plus its refill), this holds whichever way the server counts its minute.
 * A task interrupted while it waits takes no place. No fiber is forked: a task that can start at once costs one clock
 * read and a finalizer, one waiting costs one sleep.
 *
 * @internal
 */
export const makeSliding = (limit: number, window: Duration.Input): Limiter => {
  const state = new SlidingWindow(limit, Duration.toMillis(window))
  return limiterAt(() => state)
}

/** Below this many keys a keyed set of windows is never swept: a sweep would cost more than the windows it frees. */
const defaultSweepFloor = 1024

/**
 * Sliding windows by organization (one shared by requests about none), each made on first use and dropped once idle
 * (see {@link SlidingWindow.idleAt}): a mutable `Map`, never copied. When a new key would grow it to twice what the
 * last sweep left (and at least {@link sweepFloor}), one pass drops the idle windows first. A pass over `n` keys comes
 * only after `n / 2` new keys, so a lookup costs O(1) amortized, and the map holds at most about twice the keys with a
 * request in flight, answered in the last window or waiting, however many keys came and went before. Tests lower
 * `sweepFloor` to sweep on every new key.
 *
 * @internal
 */
export class Windows {
  private readonly byKey = new Map<OrganizationId, SlidingWindow>()
  private sweepAt: number

  constructor(readonly windowMillis: number, private readonly sweepFloor = defaultSweepFloor) {
    this.sweepAt = sweepFloor
  }

  /** How many windows are kept (for tests and measurements). */
  get size(): number {
    return this.byKey.size
  }

  /** The window of `key` if one is kept, without making one. */
  peek(key: OrganizationId): SlidingWindow | undefined {
    return this.byKey.get(key)
  }

  /**
   * The window of `key` at `now`, held to `limit` from now on (see {@link SlidingWindow.setLimit}); made when none is
   * kept. The limit comes with every lookup, so a window holds no state but its log and queue, both empty when idle.
   */
  at(key: OrganizationId, now: number, limit: number): SlidingWindow {
    const existing = this.byKey.get(key)
    if (existing !== undefined) {
      existing.setLimit(limit)
      return existing
    }
    if (this.byKey.size >= this.sweepAt) this.sweep(now)
    const made = new SlidingWindow(limit, this.windowMillis)
    this.byKey.set(key, made)
    return made
  }

  /** Drops the windows idle at `now`. */
  sweep(now: number): void {
    // Deleting the entry being visited is safe while iterating a Map.
    for (const [key, window] of this.byKey) {
      if (window.idleAt(now)) this.byKey.delete(key)
    }
    this.sweepAt = Math.max(this.sweepFloor, 2 * this.byKey.size)
  }
}

const minuteMillis = Duration.toMillis(Duration.minutes(1))

/**
 * The client's limiters by organization: `limiter(organizationId)` holds the requests about that organization (about
 * none: `undefined`) to at most `requestsPerMinute` in any 60 seconds (see {@link makeSliding}), its window kept
 * only while the organization is in use (see {@link Windows}). A request holds its permit from its send until a
 * minute after its answer (each attempt of a retried call counts).
 *
 * @internal
 */
export interface Keyed {
  readonly limiter: (organizationId: OrganizationId) => Limiter
  /** The windows, for tests and measurements. */
  readonly windows: Windows
}

/**
 * Makes a {@link Keyed} set of limiters, at most `requestsPerMinute` per organization. The organization comes as
 * data from the operation that sends the request; nothing reads it back out of the request.
 *
 * @internal
 */
export const makeKeyed = (requestsPerMinute: number, sweepFloor?: number): Effect.Effect<Keyed> =>
  Effect.sync(() => {
    const windows = new Windows(minuteMillis, sweepFloor)
    const limiter = (organizationId: OrganizationId): Limiter =>
      limiterAt((now) => windows.at(organizationId, now, requestsPerMinute))
    return { windows, limiter }
  })

/**
 * Sliding-window limiters by organization whose limit can change (learned from a licence): what a provisioning run
 * throttles its requests with, shared by the runs of one process. An organization's limit is `initial` until
 * {@link Registry.setLimit}; `limiter(organizationId, requestsPerMinute)` holds its window to that limit instead, for
 * that request (a run told one limit for every organization), without recording it.
 *
 * @internal
 */
export interface Registry {
  readonly limiter: (organizationId: OrganizationId, requestsPerMinute?: number) => Limiter
  readonly setLimit: (organizationId: OrganizationId, requestsPerMinute: number) => void
  /** How many windows are kept (for tests). */
  readonly size: () => number
}

/**
 * Makes a {@link Registry}. Windows are kept only while in use (see {@link Windows}); a learned limit is kept apart,
 * one number per organization whose licence a run read, so a window dropped and made again starts at that limit.
 *
 * @internal
 */
export const makeRegistry = (initial: (organizationId: OrganizationId) => number, sweepFloor?: number): Registry => {
  const learned = new Map<OrganizationId, number>()
  const windows = new Windows(minuteMillis, sweepFloor)
  const limitOf = (organizationId: OrganizationId, requestsPerMinute: number | undefined) =>
    requestsPerMinute ?? learned.get(organizationId) ?? initial(organizationId)
  return {
    limiter: (organizationId, requestsPerMinute) =>
      limiterAt((now) => windows.at(organizationId, now, limitOf(organizationId, requestsPerMinute))),
    setLimit: (organizationId, requestsPerMinute) => {
      if (requestsPerMinute === initial(organizationId)) learned.delete(organizationId)
      else learned.set(organizationId, requestsPerMinute)
      windows.peek(organizationId)?.setLimit(requestsPerMinute)
    },
    size: () => windows.size
  }
}

/**
 * A limit the calling fiber adds to the client's own, per attempt: given the organization a request counts against,
 * the limiter it must also pass. Unset (`undefined`) outside a provisioning run's activities; the workflows provide
 * it around each call to Make (`Effect.provideService`), since only the client's pipeline sees each attempt
 * (retries, pages of a stream, the reads of a sync wait). A `Context.Reference` where Effect 3 had a `FiberRef`.
 *
 * @internal
 */
export const FiberLimiter: Context.Reference<((organizationId: OrganizationId) => Limiter) | undefined> = Context
  .Reference<((organizationId: OrganizationId) => Limiter) | undefined>(
    "effect-make/internal/rateLimiter/FiberLimiter",
    { defaultValue: () => undefined }
  )
