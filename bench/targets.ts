// The targets of the Effect 4 line, read from one run's figures; each row also shows the Effect 3 line's figure of
// the same run, when it ran.
import { round } from "./harness.js"
import type { LimitedRow } from "./replicas.js"

interface OverheadRow {
  readonly client: string
  readonly concurrency: number
  readonly requestsPerSecond: number
}

/** One target: what is measured, the goal, this line's value, the Effect 3 line's, and whether the goal is met. */
export interface Target {
  readonly target: string
  readonly goal: string
  readonly effect4: number | string
  readonly effect3: number | string
  readonly met: boolean | "not run" | "report"
}

const ours = "effect-make 1.x (Effect 4)"
const old = "effect-make 0.x (Effect 3)"

/** The rows of the targets table. */
export const targets = (figures: {
  readonly overhead: ReadonlyArray<OverheadRow> | undefined
  readonly paging: { readonly rows: ReadonlyArray<{ readonly client: string; readonly ms: number }> } | undefined
  readonly decode: { readonly ratio: number } | undefined
  readonly workflow: ReadonlyArray<{ readonly run: string; readonly speedup: number }> | undefined
  readonly limits:
    | ReadonlyArray<
      { readonly organizations: number; readonly teamsEach: number; readonly ratio: number; readonly responses429: number }
    >
    | undefined
  readonly replicas:
    | {
      readonly speed: ReadonlyArray<
        { readonly replicas: number; readonly submit: string; readonly speedupOver1: number }
      >
      readonly limited: ReadonlyArray<LimitedRow>
    }
    | undefined
}): ReadonlyArray<Target> => {
  const speedup = (line: "1.x" | "0.x", concurrency: number) =>
    figures.workflow?.find((r) => r.run.startsWith(`effect-make ${line} provision, concurrency ${concurrency}`))
      ?.speedup
  const rps = (client: string, concurrency: number) =>
    figures.overhead?.find((r) => r.client === client && r.concurrency === concurrency)?.requestsPerSecond
  const vsSdk = (client: string, concurrency: number) => {
    const a = rps(client, concurrency)
    const b = rps("@makehq/sdk", concurrency)
    return a === undefined || b === undefined ? undefined : round(a / b)
  }
  const pagingRatio = (client: string) => {
    const raw = figures.paging?.rows.find((r) => r.client === "raw fetch loop")?.ms
    const line = figures.paging?.rows.find((r) => r.client === client)?.ms
    return raw === undefined || line === undefined ? undefined : round(line / raw)
  }
  const row = (
    target: string,
    goal: number,
    atMost: boolean,
    effect4: number | undefined,
    effect3: number | undefined
  ): Target => ({
    target,
    goal: `${atMost ? "<=" : ">="} ${goal}`,
    effect4: effect4 ?? "-",
    effect3: effect3 ?? "-",
    met: effect4 === undefined ? "not run" : atMost ? effect4 <= goal : effect4 >= goal
  })
  return [
    row("Organizations.get vs @makehq/sdk, c=32 (req/s ratio)", 1.1, false, vsSdk(ours, 32), vsSdk(old, 32)),
    row("Organizations.get vs @makehq/sdk, c=1 (req/s ratio)", 1.1, false, vsSdk(ours, 1), vsSdk(old, 1)),
    row(
      "paging 20,000 teams vs a raw loop (wall time ratio)",
      1.5,
      true,
      pagingRatio("effect-make 1.x AdminTeams.stream"),
      pagingRatio("effect-make 0.x AdminTeams.stream")
    ),
    row("decode a 10,000-organization body vs JSON.parse (time ratio)", 5, true, figures.decode?.ratio, undefined),
    ...[5, 50].map((concurrency) =>
      row(
        `workflow 1 org + 50 teams at 20 ms, concurrency ${concurrency}: speed-up over the sequential script`,
        8,
        false,
        speedup("1.x", concurrency),
        speedup("0.x", concurrency)
      )
    ),
    ...(figures.limits ?? []).flatMap((r) => {
      const what = `workflow ${r.organizations} orgs x ${r.teamsEach} teams at 60/min (TestClock)`
      return [
        row(`${what}: virtual time / bound`, 1.2, true, r.ratio, undefined),
        row(`${what}: responses 429`, 0, true, r.responses429, undefined)
      ]
    }),
    ...(["coordinator", "shares"] as const).map((submit): Target => ({
      target: `fleet 100 x (1 org + 5 teams) at 20 ms on 3 replicas (${
        submit === "coordinator" ? "from one" : "a share each"
      }) vs 1 (wall-time speed-up)`,
      goal: "report",
      effect4: figures.replicas?.speed.find((r) => r.replicas === 3 && r.submit === submit)?.speedupOver1 ?? "-",
      effect3: "-",
      met: figures.replicas === undefined ? "not run" : "report"
    })),
    ...(figures.replicas?.limited ?? []).flatMap((r) => {
      const what = `fleet ${r.specs} orgs x ${r.teamsEach} teams at 60/min on ${r.replicas} replica(s), real time`
      return [
        row(`${what}: wall / bound`, 1.2, true, r.ratio, undefined),
        row(`${what}: responses 429`, 0, true, r.responses429, undefined)
      ]
    })
  ]
}
