// `npm run bench`: the benchmark suite, never part of `npm test`. Each section prints a table; the targets tables
// come last, and a full run writes every figure to bench/results/node<major>.json (node24.json on the Node users
// run): figures hold for the Node that measured them. Every comparison is a ratio to a baseline measured in the same
// run, on this machine, in alternating rounds.
//
// BENCH_ONLY=<section>[,<section>] runs some sections (overhead, stages, paging, decode, emulator, scaling, workflow,
// limits, testWorkload, limiter); such a run prints its targets but leaves the results file alone. BENCH_QUICK=1: one round.
import { mkdirSync, writeFileSync } from "node:fs"
import { cpus } from "node:os"
import { join } from "node:path"
import { emulatorScaling, emulatorThroughput, testWorkload } from "./emulator.js"
import { quick, round, start } from "./harness.js"
import { limiterCost } from "./limiter.js"
import { decodeCost, paging } from "./paging.js"
import { requestOverhead, stages } from "./requests.js"
import { type Figures, issueTargets, otherTargets } from "./targets.js"
import { workflowLimits, workflowSpeed } from "./workflow.js"

const sections = [
  "overhead",
  "stages",
  "paging",
  "decode",
  "emulator",
  "scaling",
  "workflow",
  "limits",
  "testWorkload",
  "limiter"
] as const
type Section = typeof sections[number]
const isSection = (name: string): name is Section => sections.some((s) => s === name)

/** The sections BENCH_ONLY asks for ("emulatorScaling" is the older name of "scaling"), or all of them. */
const selected = (): ReadonlyArray<Section> => {
  const only = process.env.BENCH_ONLY
  if (only === undefined || only.trim() === "") return sections
  const names = only.split(",").map((name) => name.trim()).map((name) => name === "emulatorScaling" ? "scaling" : name)
  const unknown = names.filter((name) => !isSection(name))
  if (unknown.length > 0) throw new Error(`BENCH_ONLY: unknown section(s) ${unknown.join(", ")}; known: ${sections}`)
  return names.filter(isSection)
}

const emulatorServer = join(import.meta.dirname, "emulator-server.ts")

/** Where a full run writes its figures: one file per Node major, since Node 24's HTTP stack is not Node 20's. */
const resultsFile = `bench/results/node${process.versions.node.split(".")[0]}.json`

/** Starts a child process only when a section needs it, and remembers it to stop it at the end. */
const lazily = (make: () => ReturnType<typeof start>) => {
  let started: ReturnType<typeof start> | undefined
  return {
    get: () => (started ??= make()).then((s) => s.line),
    stop: async () => {
      if (started !== undefined) (await started).child.kill()
    }
  }
}

const main = async () => {
  const began = performance.now()
  const run = selected()
  const has = (section: Section) => run.includes(section)
  const server = lazily(() => start(process.execPath, [join(import.meta.dirname, "server.mjs")]))
  const emulator = lazily(() => start(process.execPath, ["--import", "tsx", emulatorServer]))
  const slowEmulator = lazily(() =>
    start(process.execPath, ["--import", "tsx", emulatorServer], { EMULATOR_LATENCY_MS: "20", EMULATOR_SYNC_MS: "0" })
  )
  try {
    const port = async () => Number(await server.get())
    const overhead = has("overhead") ? await requestOverhead(await port()) : undefined
    const breakdown = has("stages") ? await stages(await port()) : undefined
    const pages = has("paging") ? await paging(await port()) : undefined
    const decode = has("decode") ? await decodeCost() : undefined
    const emulatorRow = has("emulator") ? await emulatorThroughput(await emulator.get()) : undefined
    const scaling = has("scaling") ? await emulatorScaling() : undefined
    const workflowRows = has("workflow") ? await workflowSpeed(await slowEmulator.get()) : undefined
    const limitRows = has("limits") ? await workflowLimits() : undefined
    const workload = has("testWorkload") ? await testWorkload() : undefined
    const limiter = has("limiter") ? await limiterCost() : undefined
    const figures: Figures = {
      ...(overhead && { overhead }),
      ...(pages && { paging: pages }),
      ...(decode && { decode }),
      ...(workload && { testWorkload: workload }),
      ...(scaling && { scaling }),
      ...(workflowRows && { workflow: workflowRows }),
      ...(limitRows && { limits: limitRows })
    }
    const targets = issueTargets(figures)
    const other = otherTargets(figures)
    console.log("\nTargets")
    console.table(targets)
    console.log("\nOther targets")
    console.table(other)
    const seconds = round((performance.now() - began) / 1000, 1)
    if (run.length < sections.length) {
      console.log(
        `\nBENCH_ONLY=${run.join(",")} on Node ${process.version}: ${resultsFile} left as it was (${seconds} s)`
      )
      return
    }
    const results = {
      at: new Date().toISOString(),
      node: process.version,
      cpus: cpus().length,
      cpu: cpus()[0]?.model,
      quick,
      seconds,
      requestOverhead: overhead,
      stages: breakdown,
      paging: pages,
      decodeCost: decode,
      emulatorThroughput: emulatorRow,
      emulatorScaling: scaling,
      workflow: { oneOrganizationFiftyTeams: workflowRows, underLimit: limitRows },
      testWorkload: workload,
      limiter,
      targets,
      otherTargets: other
    }
    const out = join(import.meta.dirname, "results")
    mkdirSync(out, { recursive: true })
    writeFileSync(join(out, resultsFile.slice("bench/results/".length)), JSON.stringify(results, null, 2) + "\n")
    console.log(`\n${resultsFile} written on Node ${process.version} (${seconds} s)`)
  } finally {
    await Promise.all([server.stop(), emulator.stop(), slowEmulator.stop()])
  }
}

await main()
process.exit(0)
