// Reference arithmetic for the rate-limit tests: the most requests any window holds, and the earliest schedule a limit
// allows (first come, first served). Pure functions over millis; imports nothing.

/** The most of `sorted` (ascending millis) that any span `[t, t + length)` holds: a span starting at each is enough. */
export const mostInAnyWindow = (sorted: ReadonlyArray<number>, length: number): number => {
  let most = 0
  let first = 0
  sorted.forEach((at, last) => {
    while (at - (sorted[first] ?? at) >= length) first++
    most = Math.max(most, last - first + 1)
  })
  return most
}

/** A request for the reference schedule: when it arrives and, optionally, when it stops waiting (never a start time). */
export interface Arrival {
  readonly at: number
  readonly givesUpAt?: number | undefined
}

/**
 * The earliest start of each request (in arrival order, `undefined` for one that gave up first) under "at most `limit`
 * starts in any `length`", first come first served: a request starts when it arrives, or when the `limit`-th latest
 * start leaves the window, whichever is later. No schedule within the limit starts its k-th request earlier, so a
 * limiter that matches this one never waits needlessly.
 */
export const earliestStarts = (
  arrivals: ReadonlyArray<Arrival>,
  limit: number,
  length: number
): ReadonlyArray<number | undefined> => {
  const started: Array<number> = []
  return arrivals.map(({ at, givesUpAt }) => {
    const start = Math.max(at, (started[started.length - limit] ?? Number.NEGATIVE_INFINITY) + length)
    if (givesUpAt !== undefined && givesUpAt < start) return undefined
    started.push(start)
    return start
  })
}
