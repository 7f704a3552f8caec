// effect-make/testing: the in-memory Make emulator, for tests and local runs, with no network and no real token.
// Re-exports testing/ modules only; each module is a namespace, as in the main entry (`Emulator.Emulator` is the tag).
/**
 * @since 0.1.0
 */

/** @since 0.1.0 */
export * as Emulator from "./Emulator.js"
/** @since 0.1.0 */
export * as EmulatorCatalog from "./EmulatorCatalog.js"
/** @since 0.1.0 */
export * as EmulatorFaults from "./EmulatorFaults.js"
/** @since 0.1.0 */
export * as EmulatorHandlers from "./EmulatorHandlers.js"
/** @since 0.1.0 */
export * as EmulatorState from "./EmulatorState.js"
/** @since 0.1.0 */
export * as MakeTest from "./MakeTest.js"
