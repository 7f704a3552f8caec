// The targets tables of `npm run bench`: issue 15's list, then the older targets that still hold. A row whose
// section did not run (BENCH_ONLY) says so instead of a value.
import { round } from "./harness.js"

/** One target: what is measured, the goal, the value of this run, and whether it is met ("report" when no goal). */
export interface Target {
  readonly target: string
  readonly goal: string
  readonly measured: number | string
  readonly met: boolean | "report" | "not run"
}

/** The figures the targets read, each from its section (undefined when the section did not run). */
export interface Figures {
  readonly overhead?: ReadonlyArray<
    {
      readonly client: string
      readonly concurrency: number
      readonly requestsPerSecond: number
      readonly cpuMicrosPerCall: number
    }
  >
  readonly paging?: {
    readonly wallTimeRatio: number
    readonly rows: ReadonlyArray<{ readonly rssGrowthMb: number }>
  }
  readonly decode?: { readonly ratio: number }
  readonly testWorkload?: { readonly opsPerSecond: number; readonly setupMsPerTest: number }
  readonly scaling?: { readonly ratio: number }
  readonly workflow?: ReadonlyArray<{ readonly run: string; readonly speedup: number }>
  readonly limits?: ReadonlyArray<
    {
      readonly organizations: number
      readonly teamsEach: number
      readonly ratio: number
      readonly responses429: number
      readonly failedRuns: number
    }
  >
}

const notRun = (target: string, goal: string): Target => ({ target, goal, measured: "-", met: "not run" })

/** A ratio target `measured >= goal` (or `<=` when `atMost`), "not run" when its figure is missing. */
const ratioTarget = (target: string, goal: number, value: number | undefined, atMost = false): Target =>
  value === undefined || Number.isNaN(value)
    ? notRun(target, `${atMost ? "<=" : ">="} ${goal}`)
    : { target, goal: `${atMost ? "<=" : ">="} ${goal}`, measured: value, met: atMost ? value <= goal : value >= goal }

/** Issue 15's targets, in its order, then its report-only rows. */
export const issueTargets = (f: Figures): Array<Target> => {
  const at = (client: string, concurrency: number) =>
    f.overhead?.find((r) => r.client === client && r.concurrency === concurrency)
  const reqRatio = (concurrency: number, baseline: string) => {
    const ours = at("effect-make", concurrency)
    const theirs = at(baseline, concurrency)
    return ours && theirs ? round(ours.requestsPerSecond / theirs.requestsPerSecond) : undefined
  }
  const cpuRow = (concurrency: number): Target => {
    const ours = at("effect-make", concurrency)
    const sdk = at("@makehq/sdk", concurrency)
    const target = `c=${concurrency}: client CPU µs per call, effect-make vs @makehq/sdk`
    return ours && sdk
      ? {
        target,
        goal: "report (lower is better)",
        measured: `${round(ours.cpuMicrosPerCall, 1)} vs ${round(sdk.cpuMicrosPerCall, 1)} (${
          round(ours.cpuMicrosPerCall / sdk.cpuMicrosPerCall)
        }x)`,
        met: "report"
      }
      : notRun(target, "report")
  }
  const rss = f.paging?.rows[1]?.rssGrowthMb
  return [
    ratioTarget("c=32: effect-make / @makehq/sdk req/s", 1.25, reqRatio(32, "@makehq/sdk")),
    ratioTarget("c=32: effect-make / undici.request req/s", 0.4, reqRatio(32, "undici.request")),
    ratioTarget("c=1: effect-make / @makehq/sdk req/s", 1.1, reqRatio(1, "@makehq/sdk")),
    ratioTarget("paging 20,000 teams: AdminTeams.stream / raw loop wall time", 1.5, f.paging?.wallTimeRatio, true),
    rss === undefined
      ? notRun("paging: AdminTeams.stream peak RSS growth (MB)", "< 30")
      : { target: "paging: AdminTeams.stream peak RSS growth (MB)", goal: "< 30", measured: rss, met: rss < 30 },
    ratioTarget("decode 10,000 organizations: (parse + decode) / JSON.parse", 5, f.decode?.ratio, true),
    cpuRow(1),
    cpuRow(32),
    f.testWorkload === undefined
      ? notRun("emulator test workload (MakeTest.layer per test): ops/s", "report")
      : {
        target: "emulator test workload (MakeTest.layer per test): ops/s",
        goal: "report (higher is better)",
        measured: `${f.testWorkload.opsPerSecond} ops/s, layer ${f.testWorkload.setupMsPerTest} ms per test`,
        met: "report"
      }
  ]
}

/** The older targets that still make sense: emulator scaling and the workflows. */
export const otherTargets = (f: Figures): Array<Target> => [
  ratioTarget("emulator: req/s with 10,000 teams elsewhere / with none", 0.8, f.scaling?.ratio),
  ...["provision, concurrency 5 (default)", "provision, concurrency 50"].map((run) =>
    ratioTarget(
      `workflow 1 org + 50 teams, ${run}: speed-up over sequential`,
      8,
      f.workflow?.find((r) => r.run === run)?.speedup
    )
  ),
  ...(f.limits ?? []).flatMap((row): Array<Target> => [
    ratioTarget(
      `${row.organizations} orgs x ${row.teamsEach} teams at 60/min: virtual time / bound`,
      1.2,
      row.ratio,
      true
    ),
    {
      target: `${row.organizations} orgs x ${row.teamsEach} teams at 60/min: responses 429 (failed runs)`,
      goal: "0 (0)",
      measured: `${row.responses429} (${row.failedRuns})`,
      met: row.responses429 === 0 && row.failedRuns === 0
    }
  ])
]
