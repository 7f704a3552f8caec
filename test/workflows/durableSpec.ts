// The spec of the durable-resume test, shared by the parent test and its child process. Ported from the Effect 3 line;
// imports `effect`, src/.
import { DateTime } from "effect"
import type { ProvisionSpec } from "../../src/workflows/ProvisionSpec.js"

/** One organization, five teams, a date variable (the journal holds a DateTime) and an invitation to the last team. */
export const durableSpec = (name: string): ProvisionSpec => ({
  organization: { name, regionId: 1, timezoneId: 113, countryId: 1 },
  teams: ["Alpha", "Bravo", "Charlie", "Delta", "Echo"].map((team) => ({ name: team })),
  variables: [{ name: "launchDate", typeId: 4, value: DateTime.makeUnsafe("2027-01-15T09:00:00.000Z") }],
  invitations: [{ email: "ops@durable.example.com", name: "Ops", teams: ["Echo"] }],
  featureControls: []
})
