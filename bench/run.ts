// `npm run bench`: benchmarks, never part of `npm test`. Each prints a table; all figures go to
// bench/results/latest.json. Ratios are against a baseline measured in the same run.
import { Schema } from "effect"
import { mkdirSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { OrganizationList } from "../src/api/OrganizationsApi.js"

interface Result {
  readonly name: string
  readonly baseline: string
  readonly medianMs: number
  readonly baselineMedianMs: number
  readonly ratio: number
}

const median = (xs: ReadonlyArray<number>): number => {
  const sorted = [...xs].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN
}

const time = (rounds: number, f: () => void): number => {
  const samples: Array<number> = []
  for (let i = 0; i < rounds; i++) {
    const start = performance.now()
    f()
    samples.push(performance.now() - start)
  }
  return median(samples)
}

/** A list body shaped like fixtures/organizations/get.json, quirks included (counters as strings). */
const organizationsBody = (count: number): string =>
  JSON.stringify({
    organizations: Array.from({ length: count }, (_, i) => ({
      id: i + 1,
      name: `Organization ${i + 1}`,
      countryId: 1,
      timezoneId: 113,
      zone: "eu1.make.com",
      serviceName: "default",
      isPaused: false,
      operations: "0",
      transfer: "0",
      license: { apps: ["T2", "T3"], users: 50, dslimit: 40, operations: 800000000, apiLimit: 240 },
      teams: [{ id: i + 100000, name: "My Team" }]
    })),
    pg: { sortBy: "name", sortDir: "asc", limit: 10000, offset: 0 }
  })

const decodeCost = (): Result => {
  const body = organizationsBody(10_000)
  const decode = Schema.decodeUnknownSync(OrganizationList)
  // warm up both paths so the JIT has compiled them before measuring
  for (let i = 0; i < 3; i++) decode(JSON.parse(body))
  const baselineMedianMs = time(15, () => JSON.parse(body))
  const medianMs = time(15, () => decode(JSON.parse(body)))
  return {
    name: "decode 10,000 organizations (JSON.parse + schema)",
    baseline: "JSON.parse alone",
    medianMs,
    baselineMedianMs,
    ratio: medianMs / baselineMedianMs
  }
}

const results = [decodeCost()]
console.table(results.map((r) => ({
  benchmark: r.name,
  "median ms": r.medianMs.toFixed(1),
  baseline: r.baseline,
  "baseline ms": r.baselineMedianMs.toFixed(1),
  ratio: `${r.ratio.toFixed(2)}x`
})))
const out = join(import.meta.dirname, "results")
mkdirSync(out, { recursive: true })
writeFileSync(
  join(out, "latest.json"),
  JSON.stringify({ at: new Date().toISOString(), node: process.version, results }, null, 2) + "\n"
)
