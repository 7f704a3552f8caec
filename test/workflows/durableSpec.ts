// The spec of the durable-resume test, shared by the parent test and its child process.
import { DateTime } from "effect"
import type { ProvisionSpec } from "../../src/workflows/ProvisionSpec.js"

/** One organization, five teams, and a date variable (so the journal holds a spec with a DateTime in it). */
export const durableSpec = (name: string): ProvisionSpec => ({
  organization: { name, regionId: 1, timezoneId: 113, countryId: 1 },
  teams: ["Alpha", "Bravo", "Charlie", "Delta", "Echo"].map((team) => ({ name: team })),
  variables: [{ name: "launchDate", typeId: 4, value: DateTime.unsafeMake("2027-01-15T09:00:00.000Z") }],
  invitations: [],
  featureControls: []
})
