// Each of the 30 endpoints answers its success: status and exact body over the default seed (dates as ISO patterns).
// Imports vitest and the suite's own helpers; no `effect`. One emulator per line: reads first, then writes, in order.
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { at, call, isoTimestamp } from "./http.js"
import { lines, type RunningEmulator } from "./lines.js"

/** The licence of the seed's Teams organizations (Acme, Beta Labs) and of a new organization. */
const teamsLicense = {
  apps: ["T2", "T3"],
  users: 50,
  dslimit: 40,
  fslimit: 2147483648,
  iolimit: 10000,
  advsched: true,
  dsslimit: 524288000,
  fulltext: true,
  interval: 1,
  transfer: 1099511627776,
  operations: 800000000,
  apiLimit: 240,
  customVariables: true
}

const author = { id: 1, name: "Awesome Maker", email: "noreply@make.com" }

const featureControls = [
  { id: 12, name: "Scenario Sharing", enabled: true, description: "Sharing scenarios as public links and templates." },
  { id: 7, name: "Custom Functions", enabled: true, description: "Custom JavaScript functions in scenario mappings." },
  {
    id: 3,
    name: "Make AI Tools",
    enabled: true,
    description: "AI modules and the AI assistant in the scenario editor."
  }
]

const invitationHash = "bf1effe1-bc9d-4ab3-9414-9c3b66175305"

describe.each(lines)("$name: the 30 endpoints", (line) => {
  let emulator: RunningEmulator
  beforeAll(async () => {
    emulator = await line.start()
  })
  afterAll(() => emulator.stop())

  // ---- reads --------------------------------------------------------------------------------------------------------

  it("1 GET /organizations: the token's organizations by name, default columns, pg echoed", async () => {
    const answer = await call(emulator, "GET", "/organizations")
    expect(answer.status).toBe(200)
    expect(answer.headers.get("content-type")).toMatch(/^application\/json/)
    expect(answer.body).toEqual({
      organizations: [
        {
          id: 11,
          name: "Acme",
          timezoneId: 113,
          privateSpaces: [{ id: 101, name: "Becca's space", isOwner: true, hasAdminVisibility: false }]
        },
        { id: 12, name: "Beta Labs", timezoneId: 164 },
        { id: 13, name: "Gamma", timezoneId: 113 }
      ],
      pg: { sortBy: "name", sortDir: "asc", limit: 10000, offset: 0 }
    })
  })

  it("1 GET /organizations?externalId / zone: filters", async () => {
    const byExternalId = await call(emulator, "GET", "/organizations", { query: [["externalId", "BETA-001"]] })
    expect(byExternalId.status).toBe(200)
    expect(at(byExternalId.body, "organizations")).toEqual([{ id: 12, name: "Beta Labs", timezoneId: 164 }])
    const otherZone = await call(emulator, "GET", "/organizations", { query: [["zone", "eu2.make.com"]] })
    expect(otherZone.status).toBe(200)
    expect(at(otherZone.body, "organizations")).toEqual([])
  })

  it("3 GET /organizations/invitation?hash: the pending invitation", async () => {
    const answer = await call(emulator, "GET", "/organizations/invitation", { query: [["hash", invitationHash]] })
    expect(answer.status).toBe(200)
    expect(answer.body).toEqual({
      invitation: {
        hash: invitationHash,
        organizationId: 11,
        organizationName: "Acme",
        email: "dana@example.com",
        name: "Dana Scully",
        usersRoleId: 13,
        note: "Welcome to Acme",
        teamsId: [22],
        accepted: false
      }
    })
  })

  it("5 GET /organizations/{id}: the full organization", async () => {
    const answer = await call(emulator, "GET", "/organizations/11")
    expect(answer.status).toBe(200)
    expect(answer.body).toEqual({
      organization: {
        id: 11,
        name: "Acme",
        serviceName: "unlimited",
        nextReset: null,
        operations: "0",
        transfer: "0",
        operationsExt: "0",
        transferExt: "0",
        unusedOperations: "0",
        unusedTransfer: "0",
        isPaused: false,
        countryId: 1,
        timezoneId: 113,
        deleted: false,
        license: teamsLicense,
        features: {},
        zone: "eu1.make.com",
        teams: [{ id: 21, name: "My Team" }, { id: 22, name: "Marketing" }],
        privateSpaces: [{ id: 101, name: "Becca's space", isOwner: true, hasAdminVisibility: false }]
      }
    })
  })

  it("5 GET /organizations/{id}: a licence without custom variables, apiLimit 60", async () => {
    const answer = await call(emulator, "GET", "/organizations/13", { query: [["wait", "true"]] })
    expect(answer.status).toBe(200)
    expect(at(answer.body, "organization", "license")).toEqual({
      apps: ["T1"],
      users: 2,
      dslimit: 1,
      fslimit: 104857600,
      iolimit: 1000,
      advsched: false,
      dsslimit: 1048576,
      fulltext: false,
      interval: 15,
      transfer: 104857600,
      operations: 1000,
      apiLimit: 60
    })
  })

  it("8 GET /organizations/{id}/apps: the custom apps", async () => {
    const answer = await call(emulator, "GET", "/organizations/11/apps")
    expect(answer.status).toBe(200)
    expect(answer.body).toEqual({
      apps: [
        {
          name: "acme-crm-k3x9f2",
          label: "Acme CRM",
          version: 1,
          public: true,
          approved: true,
          theme: "#0f62fe",
          description: "Contacts and deals of the Acme CRM."
        },
        {
          name: "acme-billing-bridge-7qz1md",
          label: "Billing bridge",
          version: 2,
          public: false,
          approved: false,
          theme: "#24a148",
          description: "Pushes invoices to the ledger."
        }
      ]
    })
  })

  it("9 GET /organizations/{id}/payments: newest first, pg echoed", async () => {
    const answer = await call(emulator, "GET", "/organizations/11/payments")
    expect(answer.status).toBe(200)
    const payment = (id: number, priceId: number, quantity: number, amount: number, couponCode: string | null) => ({
      id,
      priceId,
      quantity,
      amount,
      currency: "USD",
      status: "paid",
      couponCode,
      createdAt: isoTimestamp()
    })
    expect(answer.body).toEqual({
      payments: [
        payment(505, 103, 1, 34.12, null),
        payment(504, 201, 1, 8.1, "WELCOME10"),
        payment(503, 103, 1, 34.12, null),
        payment(502, 201, 2, 18, null),
        payment(501, 103, 1, 34.12, null)
      ],
      pg: { sortBy: "id", sortDir: "desc", limit: 10000, offset: 0 }
    })
  })

  it("11 GET /organizations/{id}/subscription: the active subscription", async () => {
    const answer = await call(emulator, "GET", "/organizations/11/subscription")
    expect(answer.status).toBe(200)
    expect(answer.body).toEqual({
      subscription: {
        id: 401,
        priceId: 103,
        status: "active",
        productName: "Teams",
        couponCode: null,
        createdAt: isoTimestamp(),
        nextBillingAt: isoTimestamp()
      }
    })
  })

  it("18 GET /organizations/{id}/variables: system and custom variables, typed values", async () => {
    const answer = await call(emulator, "GET", "/organizations/11/variables")
    expect(answer.status).toBe(200)
    expect(answer.body).toEqual({
      organizationVariables: [
        { name: "$organizationId", typeId: 1, value: 11, isSystem: true },
        { name: "$organizationName", typeId: 2, value: "Acme", isSystem: true },
        { name: "dailyLimit", typeId: 1, value: 250, isSystem: false },
        { name: "apiBaseUrl", typeId: 2, value: "https://api.acme.example", isSystem: false },
        { name: "maintenanceMode", typeId: 3, value: false, isSystem: false },
        { name: "launchDate", typeId: 4, value: "2026-12-01T09:00:00.000Z", isSystem: false }
      ]
    })
  })

  it("18 GET /organizations/{id}/variables: no custom variables licence: system ones only", async () => {
    const answer = await call(emulator, "GET", "/organizations/13/variables")
    expect(answer.status).toBe(200)
    expect(answer.body).toEqual({
      organizationVariables: [
        { name: "$organizationId", typeId: 1, value: 13, isSystem: true },
        { name: "$organizationName", typeId: 2, value: "Gamma", isSystem: true }
      ]
    })
  })

  it("22 GET /organizations/{id}/variables/{name}/history: newest first; the first entry holds the value", async () => {
    const answer = await call(emulator, "GET", "/organizations/11/variables/dailyLimit/history")
    expect(answer.status).toBe(200)
    expect(answer.body).toEqual({
      history: [
        { id: 2, diffObject: { originalValue: 100, newValue: 250, timestamp: isoTimestamp(), author } },
        { id: 1, diffObject: { value: 100, timestamp: isoTimestamp(), author } }
      ]
    })
  })

  it("23 GET /organizations/{id}/usage: 30 consecutive days", async () => {
    for (const query of [[], [["organizationTimezone", "true"]] as const]) {
      const answer = await call(emulator, "GET", "/organizations/11/usage", { query })
      expect(answer.status).toBe(200)
      const usage = at(answer.body, "usage")
      expect(Object.keys(answer.body ?? {})).toEqual(["usage"])
      expect(usage).toHaveLength(30)
      const days = Array.isArray(usage) ? usage : []
      for (const day of days) {
        expect(day).toEqual({
          date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
          operations: expect.any(Number),
          dataTransfer: expect.stringMatching(/^\d+$/),
          centicredits: expect.any(Number)
        })
      }
      const times = days.map((day) => Date.parse(`${String(at(day, "date"))}T00:00:00Z`))
      expect(times.slice(1).map((time, i) => time - (times[i] ?? 0))).toEqual(Array(29).fill(86_400_000))
    }
  })

  it("24 GET /organizations/{id}/feature-controls: by descending id", async () => {
    const answer = await call(emulator, "GET", "/organizations/11/feature-controls")
    expect(answer.status).toBe(200)
    expect(answer.body).toEqual({ featureControls })
  })

  it("24 GET /organizations/{id}/feature-controls?featureControlName: one control", async () => {
    const answer = await call(emulator, "GET", "/organizations/11/feature-controls", {
      query: [["featureControlName", "Make AI Tools"]]
    })
    expect(answer.status).toBe(200)
    expect(answer.body).toEqual({ featureControls: [featureControls[2]] })
  })

  it("26 GET /organizations/{id}/check-team-permission: true where a team grants it, false elsewhere", async () => {
    const query = [["teamPermission", "scenario add"]] as const
    const acme = await call(emulator, "GET", "/organizations/11/check-team-permission", { query })
    expect([acme.status, acme.body]).toEqual([200, { hasPermission: true }])
    const beta = await call(emulator, "GET", "/organizations/12/check-team-permission", { query })
    expect([beta.status, beta.body]).toEqual([200, { hasPermission: false }])
  })

  it("27 GET /admin/teams?organizationId: deleted teams included, by name", async () => {
    const answer = await call(emulator, "GET", "/admin/teams", { query: [["organizationId", "11"]] })
    expect(answer.status).toBe(200)
    expect(answer.body).toEqual({
      teams: [
        { id: 22, name: "Marketing", organizationId: 11, scenarioDrafts: false, deleted: false, externalId: "MKT-1" },
        { id: 21, name: "My Team", organizationId: 11, scenarioDrafts: false, deleted: false, externalId: null },
        { id: 23, name: "Removed team", organizationId: 11, scenarioDrafts: false, deleted: true, externalId: null }
      ],
      pg: { sortBy: "name", sortDir: "asc", limit: 10000, offset: 0 }
    })
    const byExternalId = await call(emulator, "GET", "/admin/teams", {
      query: [["organizationId", "11"], ["externalId", "MKT-1"]]
    })
    expect(at(byExternalId.body, "teams")).toEqual([
      { id: 22, name: "Marketing", organizationId: 11, scenarioDrafts: false, deleted: false, externalId: "MKT-1" }
    ])
  })

  // ---- writes -------------------------------------------------------------------------------------------------------

  it("2 POST /organizations: the organization, its first team and the caller's role", async () => {
    const answer = await call(emulator, "POST", "/organizations", {
      body: { name: "Delta", regionId: 1, timezoneId: 113, countryId: 1 }
    })
    expect(answer.status).toBe(200)
    const id = at(answer.body, "organization", "id")
    expect(id).toEqual(expect.any(Number))
    expect(answer.body).toEqual({
      organization: {
        id,
        name: "Delta",
        timezoneId: 113,
        countryId: 1,
        license: teamsLicense,
        zone: "eu1.make.com",
        serviceName: "default",
        teams: [{ id: expect.any(Number), name: "My Team" }],
        isPaused: false
      },
      userOrganizationRole: { userId: 1, organizationId: id, usersRoleId: 11, invitation: null }
    })
  })

  it("4 POST /organizations/accept-invitation: the new role; the invitation reads accepted", async () => {
    const answer = await call(emulator, "POST", "/organizations/accept-invitation", { body: { hash: invitationHash } })
    expect(answer.status).toBe(200)
    expect(answer.body).toEqual({
      userOrganizationRole: { userId: expect.any(Number), organizationId: 11, usersRoleId: 13, invitation: null }
    })
    const after = await call(emulator, "GET", "/organizations/invitation", { query: [["hash", invitationHash]] })
    expect(at(after.body, "invitation", "accepted")).toBe(true)
  })

  it("7 PATCH /organizations/{id}: the organization with the changes", async () => {
    const answer = await call(emulator, "PATCH", "/organizations/12", { body: { name: "Beta Labs 2", countryId: 6 } })
    expect(answer.status).toBe(200)
    expect(answer.body).toEqual({
      organization: {
        id: 12,
        name: "Beta Labs 2",
        countryId: 6,
        timezoneId: 164,
        // Make's own update answer sends a single-app licence's `apps` as a bare string (fixtures/make-api).
        license: { ...teamsLicense, apps: "T2" },
        zone: "eu1.make.com",
        serviceName: "default",
        teams: [{ id: 24, name: "My Team" }],
        isPaused: false
      }
    })
  })

  it("10 POST /organizations/{id}/single-payment-create: the payment, coupon applied", async () => {
    const answer = await call(emulator, "POST", "/organizations/12/single-payment-create", {
      body: { priceId: 202, quantity: 2, couponCode: "HALFOFF" }
    })
    expect(answer.status).toBe(200)
    expect(answer.body).toEqual({
      payment: {
        id: expect.any(Number),
        priceId: 202,
        quantity: 2,
        amount: 72,
        currency: "USD",
        status: "paid",
        couponCode: "HALFOFF",
        createdAt: isoTimestamp()
      }
    })
  })

  it("12, 14, 16, 13 subscription: create, change, apply a coupon, cancel", async () => {
    const subscription = (priceId: number, productName: string, couponCode: string | null, status: string) => ({
      subscription: {
        id: expect.any(Number),
        priceId,
        status,
        productName,
        couponCode,
        createdAt: isoTimestamp(),
        nextBillingAt: isoTimestamp()
      }
    })
    const created = await call(emulator, "POST", "/organizations/13/subscription", { body: { priceId: 101 } })
    expect([created.status, created.body]).toEqual([200, subscription(101, "Core", null, "active")])
    const id = at(created.body, "subscription", "id")
    const changed = await call(emulator, "PATCH", "/organizations/13/subscription", { body: { priceId: 102 } })
    expect([changed.status, changed.body]).toEqual([200, subscription(102, "Pro", null, "active")])
    const coupon = await call(emulator, "POST", "/organizations/13/subscription/coupon-apply", {
      query: [["couponCode", "SPRING25"]]
    })
    expect([coupon.status, coupon.body]).toEqual([200, subscription(102, "Pro", "SPRING25", "active")])
    expect(at(coupon.body, "subscription", "id")).toBe(id)
    const read = await call(emulator, "GET", "/organizations/13/subscription")
    expect(read.body).toEqual(coupon.body)
    const cancelled = await call(emulator, "DELETE", "/organizations/13/subscription")
    expect([cancelled.status, cancelled.body]).toEqual([200, { subscription: id }])
  })

  it("15 POST /organizations/{id}/subscription-free?confirmed=true: the Free plan", async () => {
    const answer = await call(emulator, "POST", "/organizations/12/subscription-free", {
      query: [["confirmed", "true"]]
    })
    expect(answer.status).toBe(200)
    expect(answer.body).toEqual({
      subscription: {
        id: expect.any(Number),
        priceId: null,
        status: "free",
        productName: "Free",
        couponCode: null,
        createdAt: isoTimestamp(),
        nextBillingAt: null
      }
    })
  })

  it("17 POST /organizations/{id}/invite: the invitation, readable by its hash", async () => {
    const body = { email: "fox@example.com", name: "Fox Mulder", usersRoleId: 12, teamsId: [24], note: "Hi" }
    const answer = await call(emulator, "POST", "/organizations/12/invite", { body })
    expect(answer.status).toBe(200)
    const hash = at(answer.body, "invitation", "hash")
    expect(hash).toEqual(expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/))
    const invitation = { hash, organizationId: 12, organizationName: "Beta Labs 2", ...body, accepted: false }
    expect(answer.body).toEqual({ invitation })
    const read = await call(emulator, "GET", "/organizations/invitation", { query: [["hash", String(hash)]] })
    expect([read.status, read.body]).toEqual([200, { invitation }])
  })

  it("19, 21, 22, 20 variables: create, update, history, delete", async () => {
    const created = await call(emulator, "POST", "/organizations/11/variables", {
      body: { name: "region_2", typeId: 2, value: "EU" }
    })
    expect([created.status, created.body]).toEqual([
      200,
      { organizationVariable: { name: "region_2", typeId: 2, value: "EU", isSystem: false } }
    ])
    const updated = await call(emulator, "PATCH", "/organizations/11/variables/region_2", {
      body: { typeId: 2, value: "US" }
    })
    expect([updated.status, updated.body]).toEqual([
      200,
      { organizationVariable: { name: "region_2", typeId: 2, value: "US", isSystem: false } }
    ])
    const history = await call(emulator, "GET", "/organizations/11/variables/region_2/history")
    expect(history.status).toBe(200)
    expect(history.body).toEqual({
      history: [
        {
          id: expect.any(Number),
          diffObject: { originalValue: "EU", newValue: "US", timestamp: isoTimestamp(), author }
        },
        { id: expect.any(Number), diffObject: { value: "EU", timestamp: isoTimestamp(), author } }
      ]
    })
    const deleted = await call(emulator, "DELETE", "/organizations/11/variables/region_2", {
      query: [["confirmed", "true"]]
    })
    expect([deleted.status, deleted.body]).toEqual([200, { organizationVariable: "region_2" }])
    const after = await call(emulator, "GET", "/organizations/11/variables/region_2/history")
    expect(after.status).toBe(404)
  })

  it("21 PATCH a variable with only `value`: unchecked against its typeId, as Make documents", async () => {
    const answer = await call(emulator, "PATCH", "/organizations/11/variables/maintenanceMode", {
      body: { value: "not a boolean" }
    })
    expect([answer.status, answer.body]).toEqual([
      200,
      { organizationVariable: { name: "maintenanceMode", typeId: 3, value: "not a boolean", isSystem: false } }
    ])
  })

  it("25 PATCH /organizations/{id}/feature-controls: the control, changed", async () => {
    const answer = await call(emulator, "PATCH", "/organizations/11/feature-controls", {
      body: { id: 3, enabled: false }
    })
    expect([answer.status, answer.body]).toEqual([200, { featureControl: { ...featureControls[2], enabled: false } }])
    const read = await call(emulator, "GET", "/organizations/11/feature-controls", {
      query: [["featureControlName", "Make AI Tools"]]
    })
    expect(read.body).toEqual({ featureControls: [{ ...featureControls[2], enabled: false }] })
  })

  it("28 POST /admin/teams: the team and the admin's team role", async () => {
    const answer = await call(emulator, "POST", "/admin/teams", {
      body: { name: "Ops", organizationId: 12, userTeamAdmin: 15 }
    })
    expect(answer.status).toBe(200)
    const id = at(answer.body, "team", "id")
    expect(answer.body).toEqual({
      team: { id: expect.any(Number), name: "Ops", organizationId: 12, operationsLimit: 0, transferLimit: "0" },
      userTeamRole: { usersRoleId: 1, userId: 15, teamId: id, changeable: false, ssoPending: false }
    })
  })

  it("29 PATCH /admin/teams/{id}: the bare team", async () => {
    const answer = await call(emulator, "PATCH", "/admin/teams/24", { body: { name: "Core" } })
    expect([answer.status, answer.body]).toEqual([
      200,
      { id: 24, name: "Core", organizationId: 12, scenarioDrafts: false, deleted: false, externalId: null }
    ])
  })

  it("30 DELETE /admin/teams/{id}: the id; the team stays listed with deleted: true", async () => {
    const answer = await call(emulator, "DELETE", "/admin/teams/24")
    expect([answer.status, answer.body]).toEqual([200, { team: 24 }])
    const list = await call(emulator, "GET", "/admin/teams", { query: [["organizationId", "12"]] })
    expect(at(list.body, "teams")).toContainEqual({
      id: 24,
      name: "Core",
      organizationId: 12,
      scenarioDrafts: false,
      deleted: true,
      externalId: null
    })
  })

  it("6 DELETE /organizations/{id}: without active scenarios no confirmation is needed; gone afterwards", async () => {
    const answer = await call(emulator, "DELETE", "/organizations/13")
    expect([answer.status, answer.body]).toEqual([200, { organization: 13 }])
    const read = await call(emulator, "GET", "/organizations/13")
    expect(read.status).toBe(404)
  })

  it("6 DELETE /organizations/{id}?confirmed=true: with active scenarios", async () => {
    const answer = await call(emulator, "DELETE", "/organizations/11", { query: [["confirmed", "true"]] })
    expect([answer.status, answer.body]).toEqual([200, { organization: 11 }])
    const list = await call(emulator, "GET", "/organizations")
    expect(at(list.body, "organizations")).not.toContainEqual(expect.objectContaining({ id: 11 }))
  })
})
