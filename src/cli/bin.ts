#!/usr/bin/env node
// The `effect-make` binary: runs the command (./main.ts) on the process's arguments. Floor "the command": ./main.ts.
/**
 * @since 1.0.0
 */
import { main } from "./main.js"

main(process.argv)
