// `npm run bench`: the benchmark suite of the Effect 4 line, never part of `npm test`. Each section prints a table,
// the targets come last, and a full run writes every figure to bench/results/node<major>.json: figures hold for the
// Node that measured them (24 is the one users run; `npm run bench:node22` for 22). Every comparison is a ratio to a
// baseline measured in the same run, in alternating rounds; the Effect 3 line (0.x) takes its turns in the same
// rounds when it is built (`npm --prefix effect3 run build`).
//
// BENCH_ONLY=overhead,stages,paging,decode,workflow,limits,replicas runs some sections (the results file is then left alone);
// BENCH_QUICK=1: one round.
import { mkdirSync, writeFileSync } from "node:fs"
import { cpus } from "node:os"
import { join } from "node:path"
import { quick, round, start } from "./harness.js"
import { decodeCost, paging } from "./paging.js"
import { replicasSection } from "./replicas.js"
import { requestOverhead } from "./requests.js"
import { stages } from "./stages.js"
import { targets } from "./targets.js"
import { workflowLimits, workflowSpeed } from "./workflow.js"

const sections = ["overhead", "stages", "paging", "decode", "workflow", "limits", "replicas"] as const
type Section = typeof sections[number]
const isSection = (name: string): name is Section => sections.some((s) => s === name)

const selected = (): ReadonlyArray<Section> => {
  const only = process.env.BENCH_ONLY
  if (only === undefined || only.trim() === "") return sections
  const names = only.split(",").map((name) => name.trim())
  const unknown = names.filter((name) => !isSection(name))
  if (unknown.length > 0) throw new Error(`BENCH_ONLY: unknown section(s) ${unknown.join(", ")}; known: ${sections}`)
  return names.filter(isSection)
}

const root = join(import.meta.dirname, "..")
const resultsFile = `node${process.versions.node.split(".")[0]}.json`

/**
 * The emulator in its own process (as Make is to a client), every request delayed 20 ms and organizations synced at
 * once, for as long as `f` runs: bench/emulator-server.ts as bench/shipped.ts bundled it beside this file.
 */
const withSlowEmulator = async <A>(f: (baseUrl: string) => Promise<A>): Promise<A> => {
  const emulator = await start(
    process.execPath,
    [join(root, "node_modules/.cache/effect-make-bench/emulator-server.mjs")],
    { EMULATOR_LATENCY_MS: "20", EMULATOR_SYNC_MS: "0" }
  )
  try {
    return await f(emulator.line)
  } finally {
    emulator.child.kill()
  }
}

const main = async () => {
  const began = performance.now()
  const run = selected()
  const has = (section: Section) => run.includes(section)
  const server = await start(process.execPath, [join(import.meta.dirname, "server.mjs")])
  try {
    const port = Number(server.line)
    const overhead = has("overhead") ? await requestOverhead(root, port) : undefined
    const breakdown = has("stages") ? await stages(port) : undefined
    const pages = has("paging") ? await paging(root, port) : undefined
    const decode = has("decode") ? await decodeCost() : undefined
    const workflow = has("workflow") ? await withSlowEmulator((baseUrl) => workflowSpeed(root, baseUrl)) : undefined
    const limits = has("limits") ? await workflowLimits() : undefined
    const replicas = has("replicas") ? await replicasSection(root) : undefined
    const table = targets({ overhead, paging: pages, decode, workflow, limits, replicas })
    console.log(`\nTargets (Node ${process.version})`)
    console.table(table)
    const seconds = round((performance.now() - began) / 1000, 1)
    if (run.length < sections.length || quick) {
      console.log(`\nBENCH_ONLY or BENCH_QUICK: bench/results/${resultsFile} left as it was (${seconds} s)`)
      return
    }
    const results = {
      node: process.version,
      cpus: cpus().length,
      cpu: cpus()[0]?.model,
      seconds,
      requestOverhead: overhead,
      stages: breakdown,
      paging: pages,
      decodeCost: decode,
      workflow: { oneOrganizationFiftyTeams: workflow, underLimit: limits },
      replicas,
      targets: table
    }
    mkdirSync(join(import.meta.dirname, "results"), { recursive: true })
    writeFileSync(join(import.meta.dirname, "results", resultsFile), JSON.stringify(results, null, 2) + "\n")
    console.log(`\nbench/results/${resultsFile} written on Node ${process.version} (${seconds} s)`)
  } finally {
    server.child.kill()
  }
}

await main()
process.exit(0)
