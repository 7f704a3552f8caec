// The journal's activity names: one versioned table. A durable engine replays a run by these names, so a name that
// changes under the same version would replay a journal against other activities: this test fails when one does.
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import * as Journal from "../../src/workflows/internal/journal.js"

/**
 * Every version's table, as released. Changing a name: raise `Journal.version` and add its table here (never edit an
 * earlier one). Version 1 keeps the names of the Effect 3 line.
 */
const released: { readonly [version: number]: typeof Journal.names } = {
  1: {
    begin: "Begin",
    organizationFind: "Organization/find",
    organizationCreate: "Organization/create",
    organizationUpdate: "Organization/update",
    organizationSync: "Organization/sync",
    teamsList: "Teams/list",
    teamCreate: "Team/create/{key}",
    teamUpdate: "Team/update/{key}",
    variablesList: "Variables/list",
    variableCreate: "Variable/create/{key}",
    variableUpdate: "Variable/update/{key}",
    invitationIntent: "Invitation/{key}/intent",
    invitation: "Invitation/{key}",
    featureControlsList: "FeatureControls/list",
    featureControlUpdate: "FeatureControl/{key}",
    rollback: "Rollback/{resource}/{key}",
    remove: "Remove/{resource}/{id}"
  }
}

describe("journal", () => {
  it.effect("the table of activity names is the one released under its version", () =>
    Effect.sync(() => {
      expect(Journal.names).toEqual(released[Journal.version])
      // a new version is a new table: two versions with the same names would be a version raised for nothing
      const tables = Object.values(released).map((table) => JSON.stringify(table))
      expect(new Set(tables).size).toBe(tables.length)
    }))

  it.effect("names are filled in per entity, and no two kinds can name the same activity", () =>
    Effect.sync(() => {
      expect(Journal.activityName("teamCreate", { key: "Ops" })).toBe("Team/create/Ops")
      expect(Journal.activityName("rollback", { resource: "team", key: "Ops" })).toBe("Rollback/team/Ops")
      expect(Journal.activityName("remove", { resource: "organization", id: 11 })).toBe("Remove/organization/11")
      expect(Journal.activityName("begin")).toBe("Begin")
      // the fixed part of each template (placeholders blanked) tells the kinds apart
      const shapes = Object.values(Journal.names).map((template) => template.replace(/\{\w+\}/g, "*"))
      expect(new Set(shapes).size).toBe(shapes.length)
    }))
})
