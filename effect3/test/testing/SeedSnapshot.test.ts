// The emulator's default data at start, record for record, as fixtures/emulator-seed.json records it: the Effect 4
// line's emulator holds its seed to the same file, so the two lines start from the same data.
import { describe, expect, it } from "@effect/vitest"
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { settings } from "../../src/testing/emulator/Options.js"
import { defaultSeed, fromSeed } from "../../src/testing/emulator/Seed.js"
import { type Data, type Index, inOrganization, organizationsOf } from "../../src/testing/emulator/Store.js"

const recorded: { readonly defaultSeed: unknown } = JSON.parse(
  readFileSync(join(import.meta.dirname, "../../../fixtures/emulator-seed.json"), "utf8")
)

/** The data as plain JSON, records listed organization by organization (the order the emulator answers in). */
const dump = (data: Data): unknown => {
  const orgs = organizationsOf(data)
  const byOrg = <K, A extends { readonly organizationId: number }>(index: Index<K, A>) =>
    orgs.flatMap((org) => inOrganization(index, org.id))
  return JSON.parse(JSON.stringify({
    organizations: orgs,
    nextId: data.nextId,
    teams: byOrg(data.teams),
    users: data.users,
    memberships: byOrg(data.memberships),
    teamRoles: data.teamRoles,
    invitations: byOrg(data.invitations),
    customApps: byOrg(data.customApps),
    payments: byOrg(data.payments),
    subscriptions: byOrg(data.subscriptions),
    variables: byOrg(data.variables),
    featureControls: byOrg(data.featureControls),
    counters: data.counters
  }))
}

describe("the emulator's default seed", () => {
  it("is the data recorded in fixtures/emulator-seed.json, which the Effect 4 line's emulator starts from too", () => {
    expect(dump(fromSeed(defaultSeed, settings(), 0))).toEqual(recorded.defaultSeed)
  })
})
