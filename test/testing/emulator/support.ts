// Test helpers for the emulator's pure operations: the seeded data, success and failure of a Result, and data
// changes no endpoint makes. Imports the emulator's store, seed and settings.
import { Option, Result } from "effect"
import { settings } from "../../../src/testing/emulator/Options.js"
import { defaultSeed, fromSeed } from "../../../src/testing/emulator/Seed.js"
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

/** The default seed's data at time 0, as every area's tests start from it. */
export const seeded = fromSeed(defaultSeed, settings(), 0)

/** The success of a pure operation, or a thrown error naming the failure (the test then fails with it). */
export const ok = <A, E>(result: Result.Result<A, E>): A =>
  Result.match(result, {
    onSuccess: (a) => a,
    onFailure: (e) => {
      throw new Error(`expected a success, got ${JSON.stringify(e)}`)
    }
  })

/** The failure of a pure operation, or a thrown error naming the success. */
export const failure = <A, E>(result: Result.Result<A, E>): E =>
  Result.match(result, {
    onSuccess: (a) => {
      throw new Error(`expected a failure, got ${JSON.stringify(a)}`)
    },
    onFailure: (e) => e
  })
