/**
 * effect-make/testing: the in-memory Make emulator, for tests and local runs, with no network and no real token.
 *
 * What a user calls: `Emulator` (the service, its layers, seed and record types), `MakeTest` (the real services
 * over it), `EmulatorFaults` (fault plans, the rate limit's windows, the connection hook) and `EmulatorCatalog` (the
 * price list, roles, timezones and usage figures the emulator answers from). The emulator's areas, store and
 * middleware (`testing/emulator/`) are internal.
 *
 * @since 1.0.0
 */
// effect-make/testing, the package's testing entry: the emulator's public modules, re-exported as namespaces.
// Floor "the test layer": re-exports testing/ modules only; the emulator's areas (testing/emulator/) stay internal.

/**
 * The Emulator service over an in-memory Make instance: its layers (in process, or on a real port), seed and record
 * types.
 *
 * @since 1.0.0
 */
export * as Emulator from "./Emulator.js"

/**
 * The emulated instance's reference data: price list, coupons, team roles, timezones, feature controls, usage figures.
 *
 * @since 1.0.0
 */
export * as EmulatorCatalog from "./EmulatorCatalog.js"

/**
 * The emulator's unreliability: seeded fault plans, the rate limit's windows, the connection hook.
 *
 * @since 1.0.0
 */
export * as EmulatorFaults from "./EmulatorFaults.js"

/**
 * The real services over the emulator: one layer for tests, examples and the CLI's default target.
 *
 * @since 1.0.0
 */
export * as MakeTest from "./MakeTest.js"
