// One organization's sliding window as the cluster's OrganizationLimiter entity keeps it: slots by lease, a first come
// first served queue, the learned limit. Plain mutable state, changed in synchronous steps. The workflows: `effect`.
/**
 * @since 1.0.0
 * @internal
 */
import { Deferred, Exit } from "effect"

/**
 * The slots of one window. A lease holds a slot from its grant until a window after its release: the same rule as the
 * in-process `SlidingWindow` (see `internal/rateLimiter.ts` for why from the answer, not the send), so no span of a
 * window on Make's clock holds more than the limit of arrivals. A lease never released (its replica died, or its
 * `Release` was lost) counts until `leaseMillis` after its grant, which covers the longest attempt and its window.
 * A `Release` that comes after that (an attempt slower than the bound) counts its slot again from then on: a window
 * too full for a while, never too empty. Times are millis on the clock of the runner that holds the entity.
 *
 * @internal
 */
export class LeaseWindow {
  /** By lease: when its slot stops counting. */
  private readonly slots = new Map<string, number>()
  /** The leases waiting for a slot, oldest first. */
  private readonly queue: Array<string> = []
  private learned: number | undefined = undefined
  /** Completed at the next change, made when a waiter looks for one. */
  private signal: Deferred.Deferred<void> | undefined = undefined

  constructor(readonly initial: number, readonly windowMillis: number, readonly leaseMillis: number) {}

  /** The limit of a request that names none: the learned one, else the lowest plan's. */
  get limit(): number {
    return this.learned ?? this.initial
  }

  /** How many slots count at `now`. */
  heldAt(now: number): number {
    this.prune(now)
    return this.slots.size
  }

  /** Whether `lease` holds a slot (an `Acquire` sent again after its grant answers at once). */
  isGranted(lease: string): boolean {
    return this.slots.has(lease)
  }

  /** Queues `lease` behind the waiters already there (once, however often it is asked for). */
  enqueue(lease: string): void {
    if (!this.queue.includes(lease)) this.queue.push(lease)
  }

  /**
   * Grants `lease` a slot at `now` when it is at the front of the queue and fewer than `limit` (else the window's
   * limit) slots count, taking it out of the queue; else leaves everything as it was.
   */
  tryGrant(lease: string, limit: number | undefined, now: number): boolean {
    if (this.slots.has(lease)) return true
    if (this.queue[0] !== lease || this.heldAt(now) >= (limit ?? this.limit)) return false
    this.queue.shift()
    this.slots.set(lease, now + this.leaseMillis)
    this.notify()
    return true
  }

  /** When the earliest slot counting at `now` frees (`undefined` when none counts: only a change can help). */
  freesAt(now: number): number | undefined {
    this.prune(now)
    let earliest: number | undefined = undefined
    for (const until of this.slots.values()) earliest = earliest === undefined ? until : Math.min(earliest, until)
    return earliest
  }

  /** The request of `lease` has its answer at `now`: its slot counts until a window later. */
  release(lease: string, now: number): void {
    this.slots.set(lease, now + this.windowMillis)
    this.notify()
  }

  /** A waiter gave up: out of the queue, and the next one looks again. */
  leave(lease: string): void {
    const index = this.queue.indexOf(lease)
    if (index >= 0) this.queue.splice(index, 1)
    this.notify()
  }

  /** The organization's licence limit, from now on (a waiter looks again at once). */
  learn(apiLimit: number): void {
    this.learned = apiLimit
    this.notify()
  }

  /** Takes in slots that counted elsewhere (a window moved from another runner), keeping the later end of each. */
  restore(slots: ReadonlyArray<readonly [lease: string, until: number]>): void {
    for (const [lease, until] of slots) this.slots.set(lease, Math.max(until, this.slots.get(lease) ?? until))
    this.notify()
  }

  /** Completed at the next change of the window. */
  changed(): Deferred.Deferred<void> {
    return this.signal ?? (this.signal = Deferred.makeUnsafe<void>())
  }

  private notify(): void {
    const signal = this.signal
    if (signal === undefined) return
    this.signal = undefined
    Deferred.doneUnsafe(signal, Exit.void)
  }

  private prune(now: number): void {
    // deleting the entry being visited is safe while iterating a Map
    for (const [lease, until] of this.slots) if (until <= now) this.slots.delete(lease)
  }
}
