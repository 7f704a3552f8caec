// `npm run openapi` on this line: says where the OpenAPI document is written, and writes nothing (exit code 1).
//
// The project publishes one OpenAPI document for the contract, the primary (Effect 4) line's: the repository root's
// `npm run openapi` writes it to the snapshot fixtures/openapi.json and to this line's shipped copy,
// src/testing/emulator/openapi.json, which the emulator serves. This line's own generator writes the same contract
// differently, so it writes no document of its own (test/api/OpenApi.test.ts holds the copy to this line's contract).
console.error(
  "The OpenAPI document is written by the Effect 4 line: run `npm run openapi` at the repository root. It writes " +
    "fixtures/openapi.json and effect3/src/testing/emulator/openapi.json, the copy this line's emulator serves."
)
process.exitCode = 1
