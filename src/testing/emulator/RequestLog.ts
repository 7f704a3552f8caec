// The request log as a bounded value: the newest entries up to a capacity, and how many older ones were dropped.
// Imports `effect` and testing/ (the entry type).
/**
 * @since 1.0.0
 * @internal
 */
import { Chunk } from "effect"
import type { RecordedRequest } from "./Records.js"

/**
 * How many entries the log holds at most: 10,000. Each entry is bounded (body and path excerpts), so a long-running
 * emulator (`effect-make emulator`) under any traffic keeps a bounded log.
 *
 * @since 1.0.0
 * @category limits
 */
export const capacity = 10_000

/**
 * How many of the oldest entries go at once when the log is full: a tenth of it, so the copy that keeps memory
 * bounded (a slice would retain what it drops) happens once per 1,000 requests, not on every one.
 *
 * @since 1.0.0
 * @category limits
 */
export const dropBatch = capacity / 10

/**
 * The log: its entries, oldest first, and how many entries were dropped to keep it within {@link capacity}.
 *
 * @since 1.0.0
 * @category models
 */
export interface RequestLog {
  readonly entries: Chunk.Chunk<RecordedRequest>
  readonly dropped: number
}

/**
 * The empty log.
 *
 * @since 1.0.0
 * @category constructors
 */
export const empty: RequestLog = { entries: Chunk.empty(), dropped: 0 }

/**
 * Adds an entry; a full log first drops its oldest {@link dropBatch} entries.
 *
 * @example
 * ```ts
 * import * as RequestLog from "effect-make/testing/emulator/RequestLog"
 * declare const entry: Parameters<typeof RequestLog.append>[0]
 * const log = RequestLog.append(entry)(RequestLog.empty)
 * ```
 *
 * @since 1.0.0
 * @category combinators
 */
export const append = (entry: RecordedRequest) => (log: RequestLog): RequestLog => {
  if (Chunk.size(log.entries) < capacity) return { ...log, entries: Chunk.append(log.entries, entry) }
  const kept = Chunk.fromArrayUnsafe(Chunk.toReadonlyArray(log.entries).slice(dropBatch))
  return { entries: Chunk.append(kept, entry), dropped: log.dropped + Chunk.size(log.entries) - Chunk.size(kept) }
}
