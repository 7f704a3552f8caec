// A fault plan and the decisions the Effect 3 line's emulator drew for it (`decide` over requests 0 to 29, recorded
// from effect3/src/testing/EmulatorFaults.ts): the lines share the generator, so a seed draws the same faults on both.
import type { FaultPlan } from "../../src/testing/EmulatorFaults.js"

/** A plan that draws every kind of fault, for a seed. */
export const mixedPlan = (seed: number): FaultPlan => ({
  seed,
  serverError: 0.2,
  rateLimited: 0.15,
  retryAfterSeconds: 3,
  retryAfterAs: "date",
  reset: 0.1,
  refused: 0.05,
  truncated: 0.1,
  latency: { probability: 0.1, duration: "250 millis", jitter: "100 millis" }
})
/** What {@link mixedPlan} decides for requests 0 to 29, by seed, as the Effect 3 line decided it. */
export const recordedDecisions: ReadonlyArray<readonly [seed: number, decisions: string]> = [
  [
    7,
    "Truncated None None 504- Truncated None None Truncated Truncated None 504- Truncated None None Truncated 504+ 503+ 504+ 500- 429:3000:date Refused 429:3000:date Truncated None Truncated 429:3000:date latency:334 429:3000:date 429:3000:date 429:3000:date"
  ],
  [
    8,
    "None latency:253 Truncated 500- 502- Refused None None Truncated Reset Reset 429:3000:date 429:3000:date 504- latency:272 502- 429:3000:date Truncated 500+ None latency:342 502+ Truncated None Truncated Refused latency:258 None Truncated 504-"
  ],
  [
    -1,
    "Truncated Reset Truncated Truncated None 503+ 429:3000:date None Truncated Refused 429:3000:date None None Reset Truncated 503+ Reset 429:3000:date 500- None 500+ latency:310 None None Truncated None None Reset 503+ latency:259"
  ],
  [
    4294967297,
    "Reset Reset Truncated latency:254 502- 504- Reset Reset 504+ 503- None 429:3000:date 503+ None Truncated Truncated None None Truncated Truncated None 502+ None 503- None Truncated None latency:296 None 503-"
  ],
  [
    2.9,
    "None latency:258 Truncated Truncated None 502- 429:3000:date None Truncated Truncated 500+ None Reset None None Refused 502- None None 502- None Reset 429:3000:date 429:3000:date Truncated None None 429:3000:date None None"
  ]
]
