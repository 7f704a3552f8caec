// Test helpers for the emulator's pure operations: data changes a test needs that no endpoint makes.
// Imports the emulator's store.
import { Option } from "effect"
import { type Data, updateOrganization } from "../../../src/testing/emulator/Store.js"

/** Renames an organization (the store's own change, as PATCH would). */
export const renameOrganization = (id: number, name: string) => (data: Data): Data =>
  updateOrganization(id, (org) => ({ ...org, name }))(data)[1]

/** Grants or withdraws custom variables in an organization's licence (as a plan change would). */
export const updateLicense = (id: number, customVariables: boolean) => (data: Data): Data => {
  const [updated, next] = updateOrganization(id, (org) => ({ ...org, license: { ...org.license, customVariables } }))(
    data
  )
  if (Option.isNone(updated)) throw new Error(`no organization ${id}`)
  return next
}
