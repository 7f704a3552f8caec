// effect-make/testing: the in-memory Make emulator, for tests and local runs, with no network and no real token.
// Re-exports testing/ modules only; each module is a namespace, as in the main entry (`Emulator.Emulator` is the tag).
/**
 * What a user calls: `Emulator` (the service, its layers, seed and record types), `MakeTest` (the real services
 * over it), `EmulatorFaults` (fault plans, the rate limit's windows, the connection hook) and `EmulatorCatalog` (the
 * price list, roles, timezones and usage figures the emulator answers from). The emulator's areas, store and
 * middleware (`testing/emulator/`) are internal.
 *
 * @since 0.1.0
 */

/** @since 0.1.0 */
export * as Emulator from "./Emulator.js"
/** @since 0.1.0 */
export * as EmulatorCatalog from "./EmulatorCatalog.js"
/** @since 0.1.0 */
export * as EmulatorFaults from "./EmulatorFaults.js"
/** @since 0.1.0 */
export * as MakeTest from "./MakeTest.js"
