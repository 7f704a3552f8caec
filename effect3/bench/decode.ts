// `npx tsx bench/decode.ts`: what decoding costs before (ParseResult, `Schema.decodeUnknownSync`) and after (the
// one-pass decoder of src/internal/decoder.ts), per decode and as a ratio to JSON.parse of the same text.
// Imports the domain, the contract and the decoder; a measurement, not part of `npm test`.
import { Either, Schema } from "effect"
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { OrganizationList } from "../src/api/OrganizationsApi.js"
import { Organization } from "../src/domain/Organization.js"
import { Team } from "../src/domain/Team.js"
import { compile } from "../src/internal/decoder.js"
import { median, round } from "./harness.js"
import { organizationsBody } from "./paging.js"

/** Alternating rounds: a slow spell of the shared machine hits every contender alike; the median drops it. */
const rounds = Number(process.env["ROUNDS"] ?? 7)

const fixture = (path: string, key: string): string => {
  const parsed: unknown = JSON.parse(readFileSync(join(import.meta.dirname, "../../fixtures/make-api", path), "utf8"))
  const inner = typeof parsed === "object" && parsed !== null ? Object.getOwnPropertyDescriptor(parsed, key) : undefined
  return JSON.stringify(inner?.value)
}

/** Microseconds per call of `f`, timed over `iterations` calls. */
const timeUs = (iterations: number, f: () => unknown): number => {
  const begin = performance.now()
  for (let i = 0; i < iterations; i++) f()
  return ((performance.now() - begin) * 1000) / iterations
}

const measure = <A, I>(label: string, schema: Schema.Schema<A, I, never>, text: string, iterations: number) => {
  const before = Schema.decodeUnknownSync(schema)
  const compiled = compile(schema)
  const after = (u: unknown) => Either.getOrThrow(compiled(u))
  const contenders = {
    parse: () => JSON.parse(text),
    before: () => before(JSON.parse(text)),
    after: () => after(JSON.parse(text))
  }
  const samples: Record<keyof typeof contenders, Array<number>> = { parse: [], before: [], after: [] }
  for (const f of Object.values(contenders)) timeUs(Math.max(3, iterations / 10), f) // warm up
  for (let r = 0; r < rounds; r++) {
    // Taking turns, in a different order each round.
    const order = r % 2 === 0 ? (["parse", "before", "after"] as const) : (["after", "before", "parse"] as const)
    for (const name of order) samples[name].push(timeUs(iterations, contenders[name]))
  }
  const parse = median(samples.parse)
  const before_ = median(samples.before)
  const after_ = median(samples.after)
  return {
    body: label,
    "JSON.parse µs": round(parse, 1),
    "decode µs before": round(before_ - parse, 1),
    "decode µs after": round(after_ - parse, 1),
    "parse+decode / parse, before": round(before_ / parse),
    "parse+decode / parse, after": round(after_ / parse),
    speedup: round((before_ - parse) / (after_ - parse), 1)
  }
}

const rows = [
  measure("Organization (fixture)", Organization, fixture("organizations/get.json", "organization"), 20_000),
  measure("Team (fixture)", Team, fixture("teams/get.json", "team"), 50_000),
  measure("OrganizationList, 10,000 organizations", OrganizationList, organizationsBody(10_000), 3)
]
console.log(`Decode cost, medians of ${rounds} alternating rounds (decode µs = parse+decode minus parse)`)
console.table(rows)
const list = rows[2]
if (list !== undefined) {
  const ratio = list["parse+decode / parse, after"]
  console.log(`target: list decode+parse <= 5x JSON.parse: ${ratio}x, ${ratio <= 5 ? "met" : "NOT met"}`)
}
