// The emulator command's options on the wire: `--token`, `--sync-delay` with `wait=true`, `--rate-limit` (each
// organization's `license.apiLimit` per sliding minute, 429 + Retry-After), `--seed`. No real wait over a second.
// Imports vitest, node:url and the suite's own helpers; no `effect`.
import { fileURLToPath } from "node:url"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { at, call, errorBody, unauthorized } from "./http.js"
import { defaultToken, lines, type RunningEmulator } from "./lines.js"

const token = "conformance-token"
// Long enough that the read right after the create comes before it on a busy machine, short enough to wait for.
const syncDelayMillis = 1000

const tooManyRequests = errorBody(
  "SC429",
  "Too many requests",
  "Requests limit for organization exceeded, please try again later."
)

const pause = (millis: number) => new Promise((resolve) => setTimeout(resolve, millis))

describe.each(lines)("$name: emulator options", (line) => {
  let emulator: RunningEmulator
  beforeAll(async () => {
    emulator = await line.start({ token, rateLimit: true, syncDelayMillis })
  })
  afterAll(() => emulator.stop())

  describe("--token", () => {
    it("the given token is accepted", async () => {
      const answer = await call(emulator, "GET", "/organizations")
      expect(answer.status).toBe(200)
    })

    it("the default test token is then refused", async () => {
      const answer = await call(emulator, "GET", "/organizations", { token: defaultToken })
      expect([answer.status, answer.body]).toEqual([401, unauthorized])
    })
  })

  describe("--sync-delay and wait=true", () => {
    it("a new organization is a 404 until synchronized; wait=true waits for it", async () => {
      // Taken before the create is sent: the organization cannot be synchronized earlier than a delay after this.
      const createdAt = performance.now()
      const created = await call(emulator, "POST", "/organizations", {
        body: { name: "Synced later", regionId: 1, timezoneId: 113, countryId: 1 }
      })
      expect(created.status).toBe(200)
      const id = Number(at(created.body, "organization", "id"))

      const early = await call(emulator, "GET", `/organizations/${id}`)
      expect([early.status, early.body]).toEqual([
        404,
        errorBody(
          "SC404",
          "Not found",
          "Organization not found. It may not be synchronized with this zone yet; retry with wait=true."
        )
      ])

      const waited = await call(emulator, "GET", `/organizations/${id}`, { query: [["wait", "true"]] })
      const waitedMillis = performance.now() - createdAt
      expect(waited.status).toBe(200)
      expect(at(waited.body, "organization", "name")).toBe("Synced later")
      // It answered once the delay had passed, not at once (a few ms for two processes' clocks and timers).
      expect(waitedMillis).toBeGreaterThanOrEqual(syncDelayMillis - 10)

      const later = await call(emulator, "GET", `/organizations/${id}`)
      expect([later.status, at(later.body, "organization", "id")]).toEqual([200, id])
    })
  })

  describe("--rate-limit", () => {
    it("a request without the right token is 401 and spends nothing of the organization's minute", async () => {
      // More than the organization's limit (60), with a wrong token and with none: each is refused as unauthenticated,
      // and the next test still finds the whole minute free for the real token.
      const refused = await Promise.all(
        Array.from(
          { length: 70 },
          (_, i) => call(emulator, "GET", "/organizations/13", { token: i % 2 === 0 ? "wrong-token" : null })
        )
      )
      for (const answer of refused) expect([answer.status, answer.body]).toEqual([401, unauthorized])
    })

    it("past license.apiLimit in a minute: 429 + Retry-After, per organization, sliding from the oldest", async () => {
      const started = performance.now()
      const first = await call(emulator, "GET", "/organizations/13")
      expect(first.status).toBe(200)
      const limit = Number(at(first.body, "organization", "license", "apiLimit"))
      expect(limit).toBe(60)
      // A second between the first request and the rest: the oldest request then leaves the minute a second before
      // the others, which a sliding minute's Retry-After shows.
      await pause(1000)
      const firstAnsweredBy = performance.now() - 1000
      const paths = [
        "/organizations/13",
        "/organizations/13/usage",
        "/organizations/13/variables",
        "/organizations/13/apps"
      ]
      for (let i = 1; i < limit; i++) {
        const answer = await call(emulator, "GET", paths[i % paths.length] ?? "/organizations/13")
        expect(answer.status).toBe(200)
      }

      const sent = performance.now()
      const refused = await call(emulator, "GET", "/organizations/13")
      const elapsed = (performance.now() - started) / 1000
      expect([refused.status, refused.body]).toEqual([429, tooManyRequests])
      const retryAfter = refused.headers.get("retry-after")
      expect(retryAfter).toMatch(/^\d+$/)
      // The first request leaves the minute 60 s after it arrived: between `started` and `firstAnsweredBy`.
      expect(Number(retryAfter)).toBeGreaterThanOrEqual(Math.floor(60 - elapsed))
      expect(Number(retryAfter)).toBeLessThanOrEqual(Math.ceil(60 - (sent - firstAnsweredBy) / 1000))

      // The organization is limited whichever endpoint, method or place (path, query, body) names it.
      const others = await Promise.all([
        call(emulator, "GET", "/organizations/13/feature-controls"),
        call(emulator, "GET", "/admin/teams", { query: [["organizationId", "13"]] }),
        call(emulator, "POST", "/admin/teams", { body: { name: "Refused", organizationId: 13 } }),
        call(emulator, "PATCH", "/organizations/13", { body: { name: "Refused" } })
      ])
      for (const answer of others) expect([answer.status, answer.body]).toEqual([429, tooManyRequests])

      // Other organizations, and requests about none, are not.
      expect((await call(emulator, "GET", "/organizations/12")).status).toBe(200)
      expect((await call(emulator, "GET", "/admin/teams", { query: [["organizationId", "12"]] })).status).toBe(200)
      expect((await call(emulator, "GET", "/organizations")).status).toBe(200)
      // A wrong token about the limited organization is still a 401: authentication comes first.
      const wrong = await call(emulator, "GET", "/organizations/13", { token: "wrong-token" })
      expect([wrong.status, wrong.body]).toEqual([401, unauthorized])

      // The refused requests changed nothing.
      const read = await call(emulator, "GET", "/organizations/12")
      expect(at(read.body, "organization", "name")).toBe("Beta Labs")
    })
  })
})

describe.each(lines)("$name: --seed FILE", (line) => {
  let emulator: RunningEmulator
  beforeAll(async () => {
    emulator = await line.start({ seedFile: fileURLToPath(new URL("seed.json", import.meta.url)) })
  })
  afterAll(() => emulator.stop())

  it("the file's organizations, by name, instead of the default seed's", async () => {
    const list = await call(emulator, "GET", "/organizations")
    expect([list.status, list.body]).toEqual([200, {
      organizations: [{ id: 5, name: "Alpha Co", timezoneId: 113 }, { id: 7, name: "Zulu Works", timezoneId: 164 }],
      pg: { sortBy: "name", sortDir: "asc", limit: 10000, offset: 0 }
    }])
    expect((await call(emulator, "GET", "/organizations/11")).status).toBe(404)
    const otherZone = await call(emulator, "GET", "/organizations", { query: [["zone", "eu2.make.com"]] })
    expect(at(otherZone.body, "organizations")).toEqual([{ id: 7, name: "Zulu Works", timezoneId: 164 }])
  })

  it("an organization's given fields, the rest defaults; its teams", async () => {
    const answer = await call(emulator, "GET", "/organizations/7")
    expect(answer.status).toBe(200)
    expect(at(answer.body, "organization")).toEqual(expect.objectContaining({
      id: 7,
      name: "Zulu Works",
      countryId: 6,
      timezoneId: 164,
      zone: "eu2.make.com",
      teams: [{ id: 70, name: "Ops" }, { id: 71, name: "Data" }]
    }))
    const teams = await call(emulator, "GET", "/admin/teams", { query: [["organizationId", "7"]] })
    expect(at(teams.body, "teams")).toEqual([
      { id: 71, name: "Data", organizationId: 7, scenarioDrafts: false, deleted: false, externalId: null },
      { id: 70, name: "Ops", organizationId: 7, scenarioDrafts: false, deleted: false, externalId: null }
    ])
  })

  it("activeScenarios: deleting needs confirmed=true", async () => {
    const answer = await call(emulator, "DELETE", "/organizations/5")
    expect([answer.status, at(answer.body, "code")]).toEqual([406, "IM004"])
  })

  it("everything else starts empty: no payments, no subscription, no apps, no custom variables", async () => {
    const payments = await call(emulator, "GET", "/organizations/7/payments")
    expect(at(payments.body, "payments")).toEqual([])
    expect((await call(emulator, "GET", "/organizations/7/subscription")).status).toBe(404)
    expect((await call(emulator, "GET", "/organizations/5/apps")).body).toEqual({ apps: [] })
    const variables = await call(emulator, "GET", "/organizations/5/variables")
    expect(at(variables.body, "organizationVariables")).toEqual([
      { name: "$organizationId", typeId: 1, value: 5, isSystem: true },
      { name: "$organizationName", typeId: 2, value: "Alpha Co", isSystem: true }
    ])
  })
})
