// Make's error answers on the wire: 401, 404, 406/IM004, the licence's bare 404, 400 with suberrors, 415; each leaves
// the data as it was. Imports vitest and the suite's own helpers; no `effect`.
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import {
  allEndpoints,
  type Endpoint,
  invitationEndpoints,
  organizationEndpoints,
  organizationInQuery,
  teamEndpoints,
  withOrganization
} from "./catalog.js"
import {
  at,
  bareNotFound,
  type Call,
  call,
  errorBody,
  expectValidationError,
  fieldsNamed,
  organizationNotFound,
  unauthorized
} from "./http.js"
import { lines, type RunningEmulator } from "./lines.js"

const send = (emulator: RunningEmulator, endpoint: Endpoint, id: number, options: Call = {}) =>
  call(emulator, endpoint.method, endpoint.path(id), {
    ...(endpoint.query === undefined ? {} : { query: endpoint.query }),
    ...(endpoint.body === undefined ? {} : { body: endpoint.body }),
    ...options
  })

/** The seed's three organizations as `GET /organizations` lists them: what every refused request must leave. */
const seededList = async (emulator: RunningEmulator) =>
  at((await call(emulator, "GET", "/organizations")).body, "organizations")

/** The four custom-variable endpoints Make gates by licence; everything else about a missing organization says so. */
const variableEndpoint = /^(19|20|21|22) /

describe("the endpoint catalogue", () => {
  it("holds the 30 documented endpoints, numbered 1 to 30, each once", () => {
    const numbers = allEndpoints.map((endpoint) => Number(endpoint.name.split(" ")[0]))
    expect([...numbers].sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1))
    expect(new Set(allEndpoints.map((endpoint) => endpoint.name.split(" ").slice(1).join(" "))).size).toBe(30)
  })
})

describe.each(lines)("$name: errors", (line) => {
  let emulator: RunningEmulator
  let before: unknown
  beforeAll(async () => {
    emulator = await line.start()
    before = await seededList(emulator)
  })
  afterAll(() => emulator.stop())

  describe("401 Unauthorized", () => {
    it.each(allEndpoints)("$name without a token", async (endpoint) => {
      const answer = await send(emulator, endpoint, 11, { token: null })
      expect([answer.status, answer.body]).toEqual([401, unauthorized])
    })

    it.each(allEndpoints)("$name with a wrong token", async (endpoint) => {
      const answer = await send(emulator, endpoint, 11, { token: "00000000-0000-0000-0000-000000000000" })
      expect([answer.status, answer.body]).toEqual([401, unauthorized])
    })

    it("the right token under another scheme than `Token` (Bearer) is refused too", async () => {
      const answer = await fetch(`${emulator.api}/organizations`, {
        headers: { authorization: `Bearer ${emulator.token}` }
      })
      expect([answer.status, await answer.json()]).toEqual([401, unauthorized])
    })

    it("nothing changed: the three seeded organizations, as before", async () => {
      expect(await seededList(emulator)).toEqual(before)
      expect(before).toHaveLength(3)
    })
  })

  describe("404 Not Found", () => {
    it.each(organizationEndpoints)("$name for a missing organization", async (endpoint) => {
      const answer = await send(emulator, endpoint, 99)
      // Make answers the variable endpoints' 404 bare: a missing organization, a licence without custom variables
      // and a missing variable look alike there.
      expect([answer.status, answer.body]).toEqual([
        404,
        variableEndpoint.test(endpoint.name) ? bareNotFound : organizationNotFound
      ])
    })

    it.each(organizationInQuery)("$name for a missing organization", async (endpoint) => {
      const answer = await send(emulator, withOrganization(endpoint, 99), 99)
      expect([answer.status, answer.body]).toEqual([404, organizationNotFound])
    })

    it.each(teamEndpoints)("$name for a missing team", async (endpoint) => {
      const answer = await send(emulator, endpoint, 999)
      expect([answer.status, answer.body]).toEqual([404, errorBody("SC404", "Not found", "Team not found.")])
    })

    it.each(invitationEndpoints("00000000-0000-0000-0000-000000000000"))(
      "$name for an unknown hash",
      async (endpoint) => {
        const answer = await send(emulator, endpoint, 0)
        expect([answer.status, answer.body]).toEqual([404, errorBody("SC404", "Not found", "Invitation not found.")])
      }
    )

    it("11 GET .../subscription of an organization without one", async () => {
      const answer = await call(emulator, "GET", "/organizations/13/subscription")
      expect([answer.status, answer.body]).toEqual([404, errorBody("SC404", "Not found", "No active subscription.")])
    })

    it("25 PATCH .../feature-controls of an unknown control", async () => {
      const answer = await call(emulator, "PATCH", "/organizations/11/feature-controls", {
        body: { id: 999, enabled: true }
      })
      expect([answer.status, answer.body]).toEqual([404, errorBody("SC404", "Not found", "Feature control not found.")])
    })

    it("a path no endpoint serves", async () => {
      const answer = await call(emulator, "GET", "/organizations/11/nothing-here")
      expect(answer.status).toBe(404)
      expect(answer.body).toEqual({ detail: expect.any(String), message: "Not found", code: "SC404" })
    })
  })

  describe("licence without custom variables (organization 13): Make's bare 404, as for a missing variable", () => {
    const gated: ReadonlyArray<readonly [string, string, string, Call]> = [
      ["19 create", "POST", "/organizations/13/variables", { body: { name: "x", typeId: 1, value: 1 } }],
      ["21 update", "PATCH", "/organizations/13/variables/legacyFlag", { body: { typeId: 3, value: true } }],
      ["20 delete", "DELETE", "/organizations/13/variables/legacyFlag", { query: [["confirmed", "true"]] }],
      ["22 history", "GET", "/organizations/13/variables/legacyFlag/history", {}]
    ]
    it.each(gated)("%s", async (_, method, path, options) => {
      const answer = await call(emulator, method, path, options)
      expect([answer.status, answer.body]).toEqual([404, bareNotFound])
    })

    it("the same body as a variable that does not exist in a licensed organization", async () => {
      const missing = await call(emulator, "GET", "/organizations/11/variables/nope/history")
      expect([missing.status, missing.body]).toEqual([404, bareNotFound])
    })

    it("nothing was created: the list still holds the system variables only", async () => {
      const answer = await call(emulator, "GET", "/organizations/13/variables")
      expect(at(answer.body, "organizationVariables")).toEqual([
        { name: "$organizationId", typeId: 1, value: 13, isSystem: true },
        { name: "$organizationName", typeId: 2, value: "Gamma", isSystem: true }
      ])
    })
  })

  describe("406 IM004 without confirmed=true: nothing changes", () => {
    const expectNotConfirmed = (answer: { status: number; body: unknown }) => {
      expect(answer.status).toBe(406)
      expect(answer.body).toEqual({
        detail: expect.stringContaining("confirmed=true"),
        message: "Confirmation required",
        code: "IM004"
      })
    }

    it("6 DELETE /organizations/{id} with active scenarios, without confirmed and with confirmed=false", async () => {
      expectNotConfirmed(await call(emulator, "DELETE", "/organizations/11"))
      expectNotConfirmed(await call(emulator, "DELETE", "/organizations/11", { query: [["confirmed", "false"]] }))
      expect((await call(emulator, "GET", "/organizations/11")).status).toBe(200)
    })

    it("20 DELETE /organizations/{id}/variables/{name}", async () => {
      expectNotConfirmed(await call(emulator, "DELETE", "/organizations/11/variables/apiBaseUrl"))
      const history = await call(emulator, "GET", "/organizations/11/variables/apiBaseUrl/history")
      expect(history.status).toBe(200)
    })

    it("15 POST /organizations/{id}/subscription-free", async () => {
      expectNotConfirmed(await call(emulator, "POST", "/organizations/11/subscription-free"))
      const subscription = await call(emulator, "GET", "/organizations/11/subscription")
      expect(at(subscription.body, "subscription", "status")).toBe("active")
    })
  })

  describe("400 with suberrors naming the invalid fields: nothing changes", () => {
    const cases: ReadonlyArray<readonly [string, string, string, Call, ReadonlyArray<string>]> = [
      ["2 POST /organizations, empty body", "POST", "/organizations", { body: {} }, [
        "name",
        "regionId",
        "timezoneId",
        "countryId"
      ]],
      ["7 PATCH /organizations/{id}, a number for the name", "PATCH", "/organizations/11", { body: { name: 5 } }, [
        "name"
      ]],
      ["10 POST single-payment-create, unknown price and coupon", "POST", "/organizations/11/single-payment-create", {
        body: { priceId: 999, quantity: 1, couponCode: "NOPE" }
      }, ["priceId", "couponCode"]],
      ["17 POST invite, not an e-mail and a blank name", "POST", "/organizations/11/invite", {
        body: { email: "not-an-email", name: "" }
      }, ["email", "name"]],
      ["19 POST variables, a name with a dash", "POST", "/organizations/11/variables", {
        body: { name: "a-b", typeId: 1, value: 1 }
      }, ["name"]],
      ["26 GET check-team-permission without teamPermission", "GET", "/organizations/11/check-team-permission", {}, [
        "teamPermission"
      ]],
      ["27 GET /admin/teams without organizationId", "GET", "/admin/teams", {}, ["organizationId"]],
      ["28 POST /admin/teams without a name", "POST", "/admin/teams", { body: { organizationId: 11 } }, ["name"]]
    ]
    it.each(cases)("%s", async (_, method, path, options, fields) => {
      const messages = expectValidationError(await call(emulator, method, path, options))
      expect([...fieldsNamed(messages)].sort()).toEqual([...fields].sort())
    })

    it("21 PATCH a variable with typeId and a value of another type (Make checks the two together)", async () => {
      const messages = expectValidationError(
        await call(emulator, "PATCH", "/organizations/11/variables/dailyLimit", { body: { typeId: 3, value: 5 } })
      )
      expect(messages.join(" ")).toMatch(/value|typeId/)
      const list = await call(emulator, "GET", "/organizations/11/variables")
      expect(at(list.body, "organizationVariables")).toContainEqual({
        name: "dailyLimit",
        typeId: 1,
        value: 250,
        isSystem: false
      })
    })

    it("4 POST accept-invitation without a body", async () => {
      expectValidationError(await call(emulator, "POST", "/organizations/accept-invitation"))
    })

    it("nothing was created or changed", async () => {
      expect(await seededList(emulator)).toEqual(before)
      const acme = await call(emulator, "GET", "/organizations/11")
      expect(at(acme.body, "organization", "name")).toBe("Acme")
      const teams = await call(emulator, "GET", "/admin/teams", { query: [["organizationId", "11"]] })
      expect(at(teams.body, "teams")).toHaveLength(3)
    })
  })

  describe("requests the state refuses", () => {
    it("19 POST variables with a name already taken: 400 naming name", async () => {
      const messages = expectValidationError(
        await call(emulator, "POST", "/organizations/11/variables", {
          body: { name: "dailyLimit", typeId: 1, value: 1 }
        })
      )
      expect([...fieldsNamed(messages)]).toEqual(["name"])
    })

    it("17 POST invite to a team of another organization: 400 naming teamsId", async () => {
      const messages = expectValidationError(
        await call(emulator, "POST", "/organizations/11/invite", {
          body: { email: "ann@example.com", name: "Ann", teamsId: [24] }
        })
      )
      expect(messages.join(" ")).toMatch(/^teamsId/)
    })

    it("12 POST subscription while one is active: 400", async () => {
      const answer = await call(emulator, "POST", "/organizations/11/subscription", { body: { priceId: 101 } })
      expect([answer.status, answer.body]).toEqual([
        400,
        { detail: expect.any(String), message: "Bad request", code: "SC400" }
      ])
      const subscription = await call(emulator, "GET", "/organizations/11/subscription")
      expect(at(subscription.body, "subscription", "priceId")).toBe(103)
    })

    it.each(
      [
        ["13 DELETE", "DELETE", "/organizations/12/subscription", {}],
        ["14 PATCH", "PATCH", "/organizations/12/subscription", { body: { priceId: 102 } }],
        ["16 coupon-apply", "POST", "/organizations/12/subscription/coupon-apply", {
          query: [["couponCode", "WELCOME10"]]
        }]
      ] as const
    )("%s on a cancelled subscription: 404", async (_, method, path, options) => {
      const answer = await call(emulator, method, path, options)
      expect([answer.status, answer.body]).toEqual([404, errorBody("SC404", "Not found", "No active subscription.")])
    })

    it.each(teamEndpoints)("$name of a deleted team: 404", async (endpoint) => {
      const answer = await send(emulator, endpoint, 23)
      expect([answer.status, answer.body]).toEqual([404, errorBody("SC404", "Not found", "Team not found.")])
    })
  })

  it("415 for a body that is not application/json", async () => {
    const answer = await fetch(`${emulator.api}/organizations`, {
      method: "POST",
      headers: { authorization: `Token ${emulator.token}`, "content-type": "text/plain" },
      body: JSON.stringify({ name: "New", regionId: 1, timezoneId: 113, countryId: 1 })
    })
    expect(answer.status).toBe(415)
    expect(await answer.json()).toEqual({
      detail: expect.stringContaining("application/json"),
      message: "Unsupported media type",
      code: "SC415"
    })
    expect(await seededList(emulator)).toEqual(before)
  })
})
