// The spec of the durable-resume test, shared by the parent test and its child process.
import type { ProvisionSpec } from "../../src/workflows/ProvisionSpec.js"

/** One organization and five teams. */
export const durableSpec = (name: string): ProvisionSpec => ({
  organization: { name, regionId: 1, timezoneId: 113, countryId: 1 },
  teams: ["Alpha", "Bravo", "Charlie", "Delta", "Echo"].map((team) => ({ name: team })),
  variables: [],
  invitations: [],
  featureControls: []
})
