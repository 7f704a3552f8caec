// Each endpoint of the contract compiled once into what a call needs: the request it sends, how its answer decodes,
// its route and declared errors. Floor 2 (internal): imports `effect`, `effect/http`, `effect/http-api`, the
// contract (api/), MakeError and ./bounded, ./valueLimits, ./errorText, ./fastDecoder.
/**
 * @since 1.0.0
 * @internal
 */
import { Cause, Effect, Option, Result, Schema, SchemaAST, SchemaIssue } from "effect"
import { HttpBody, HttpClientRequest } from "effect/http"
import type { HttpClientResponse, HttpMethod } from "effect/http"
import { HttpApi, HttpApiSchema } from "effect/http-api"
import type { HttpApiEndpoint, HttpApiGroup } from "effect/http-api"
import * as SchemaJITCompiler from "effect/schema/SchemaJITCompiler"
import { errorTagOf } from "../api/Errors.js"
import { MakeHttpApi } from "../api/MakeHttpApi.js"
import * as MakeError from "../MakeError.js"
import { BufferedResponse } from "./bounded.js"
import * as ErrorText from "./errorText.js"
import * as FastDecoder from "./fastDecoder.js"
import { isShallow, maxDepth } from "./valueLimits.js"

// Why not `HttpApiClient`: measured on Node 24 against a loopback server (bench/), the stock client over undici ran
// `Organizations.get` at 0.66× `@makehq/sdk` at c=32 and 0.82× at c=1, and an Effect `HttpClient` over undici with
// a Schema decode at 0.92× and 1.12×, where one bare undici call with the same Schema decode and a span ran at
// 1.48× and 1.76×. The stock client runs a middleware chain, an `HttpClient` span with URL and header attributes and
// a response decoder built per status on every call. This module reads the same contract once, with Effect's own
// encoders and parser (`Schema.encode…`, `Schema.decode…`: no hand-written decoder), and refuses at start what it
// does not implement: header schemas, payloads that are not JSON, success bodies that are neither JSON nor text, and
// errors whose tag the status mapper does not produce. test/api/Endpoints.test.ts compares it with `HttpApiClient`.

// ---------------------------------------------------------------------------
// The contract, as types
// ---------------------------------------------------------------------------

/** The groups of the contract. */
type Groups = typeof MakeHttpApi extends HttpApi.HttpApi<string, infer G> ? G : never

/**
 * A group of the contract by its identifier (`organizations`, `adminTeams`, ...).
 *
 * @internal
 */
export type GroupName = Groups["identifier"]

/** The endpoints of group `G`, by identifier. */
type EndpointsOf<G extends GroupName> = Extract<Groups, { readonly identifier: G }>["endpoints"]

/**
 * An endpoint of group `G` (`billing` → `payments`, ...).
 *
 * @internal
 */
export type EndpointName<G extends GroupName> = keyof EndpointsOf<G> & string

/** The endpoint `N` of group `G`. */
type EndpointOf<G extends GroupName, N extends EndpointName<G>> = EndpointsOf<G>[N] extends
  infer E extends HttpApiEndpoint.ConstraintRequest ? E : never

type Part<K extends string, S extends Schema.Constraint> = [S["Type"]] extends [never] ? {}
  : { readonly [P in K]: S["Type"] }

/**
 * What a call of endpoint `N` of `G` takes: its path params, query and payload, as types (what `HttpApiClient`
 * takes, without its response modes).
 *
 * @internal
 */
export type Request<G extends GroupName, N extends EndpointName<G>> =
  & Part<"params", EndpointOf<G, N>["~Params"]>
  & Part<"query", EndpointOf<G, N>["~Query"]>
  & Part<"payload", EndpointOf<G, N>["~Payload"]>

/**
 * What a call of endpoint `N` of `G` answers, decoded.
 *
 * @internal
 */
export type Success<G extends GroupName, N extends EndpointName<G>> = EndpointOf<G, N>["~Success"]["Type"]

/**
 * The errors endpoint `N` of `G` declares itself (`NotFound`, `NotConfirmed`, `FeatureUnavailable`); its group's
 * and the API's middleware declare only common ones.
 *
 * @internal
 */
export type DeclaredError<G extends GroupName, N extends EndpointName<G>> = EndpointOf<G, N>["~Error"]["Type"]

// ---------------------------------------------------------------------------
// The contract, compiled
// ---------------------------------------------------------------------------

/**
 * What decoding an answer can fail with: the body is not what the contract declares.
 *
 * @internal
 */
export type DecodeFailure = MakeError.UnexpectedResponse

/**
 * One endpoint, compiled.
 *
 * @internal
 */
export interface Endpoint {
  readonly group: string
  readonly name: string
  readonly method: HttpMethod.HttpMethod
  /** `GET /organizations/{organizationId}`, the path template as the docs write it. */
  readonly route: string
  /** The tags of every error the endpoint declares, its group's and the API's included. */
  readonly declared: ReadonlySet<string>
  /** The request to send, with a path relative to the base URL; a failure is an argument the schemas refuse. */
  readonly request: (input: RawRequest) => Result.Result<HttpClientRequest.HttpClientRequest, Schema.SchemaError>
  /** The value of a 2xx answer. */
  readonly decode: (response: HttpClientResponse.HttpClientResponse) => Effect.Effect<unknown, DecodeFailure>
  /** The schema of that value (its type side), when the answer is one JSON body; none for a text answer. */
  readonly answer: Schema.Top | undefined
}

/**
 * A call's parts before encoding, as the typed {@link Request} holds them.
 *
 * @internal
 */
export interface RawRequest {
  readonly params?: unknown
  readonly query?: unknown
  readonly payload?: unknown
}

const refuse = (endpoint: HttpApiEndpoint.Top, group: HttpApiGroup.Top, what: string): never => {
  throw new Error(
    `effect-make: ${group.identifier}.${endpoint.identifier} ${what}, which the client does not implement`
  )
}

/** `:organizationId` → the encoded param; a missing one or a dot segment is refused (it would change the path). */
const compilePath = (path: string) => {
  const parts = path.split(/(:\w+)/)
  return (params: Readonly<Record<string, unknown>>): Result.Result<string, string> => {
    let out = ""
    for (const part of parts) {
      if (!part.startsWith(":")) {
        out += part
        continue
      }
      const value = params[part.slice(1)]
      if (typeof value !== "string" || value === "" || value === "." || value === "..") {
        return Result.fail(`${part.slice(1)}: not a path segment`)
      }
      out += encodeURIComponent(value)
    }
    return Result.succeed(out)
  }
}

const pathError = (message: string) => new Schema.SchemaError(new SchemaIssue.InvalidValue({ message }))

/**
 * A schema of the contract as the codec it is. Reflection hands every schema over as `Schema.Top`, whose services are
 * `unknown`; the contract's need none (its types say so: test/api/Endpoints.test.ts checks that every endpoint's
 * encoding and decoding services are `never`). This is the one place that fact is restated for the compiler, as
 * `HttpApiClient` restates it.
 */
const codec = (schema: Schema.Top): Schema.Codec<unknown, unknown> =>
  schema as unknown as Schema.Codec<unknown, unknown>

/** An encoder of request parts, compiled once; encoding runs the flipped AST's decoder, JIT-compiled like the rest. */
const encoder = (schema: Schema.Top | undefined) => {
  if (schema === undefined) return undefined
  SchemaJITCompiler.enable(SchemaAST.flip(schema.ast))
  return Schema.encodeUnknownResult(codec(schema))
}

/** The request builder of one endpoint: path params, query and JSON payload, each encoded by its schema. */
const compileRequest = (endpoint: HttpApiEndpoint.Top, group: HttpApiGroup.Top): Endpoint["request"] => {
  if (endpoint.headers !== undefined) refuse(endpoint, group, "declares request headers")
  const payloads = [...endpoint.payload.values()]
  const payloadSchema = payloads.length === 0 ? undefined : payloads.length === 1 ? payloads[0] : undefined
  if (payloads.length > 1) refuse(endpoint, group, "declares several payload encodings")
  if (payloadSchema !== undefined && payloadSchema.encoding._tag !== "Json") {
    refuse(endpoint, group, `declares a ${payloadSchema.encoding._tag} payload`)
  }
  const payloadType = payloadSchema?.schemas.length === 1 ? payloadSchema.schemas[0] : undefined
  if (payloadSchema !== undefined && payloadType === undefined) refuse(endpoint, group, "declares a payload union")
  const makePath = compilePath(endpoint.path)
  const encodeParams = encoder(endpoint.params)
  const encodeQuery = encoder(endpoint.query)
  const encodePayload = payloadType === undefined ? undefined : encoder(Schema.toCodecJson(payloadType))
  const method = endpoint.method
  return (input) => {
    const params = encodeParams === undefined ? Result.succeed({}) : encodeParams(input.params)
    if (Result.isFailure(params)) return Result.fail(params.failure)
    const path = makePath(params.success as Readonly<Record<string, unknown>>)
    if (Result.isFailure(path)) return Result.fail(pathError(path.failure))
    let request = HttpClientRequest.make(method)(path.success)
    if (encodeQuery !== undefined) {
      const query = encodeQuery(input.query ?? {})
      if (Result.isFailure(query)) return Result.fail(query.failure)
      request = HttpClientRequest.setUrlParams(
        request,
        query.success as Parameters<typeof HttpClientRequest.setUrlParams>[1]
      )
    }
    if (encodePayload !== undefined) {
      const payload = encodePayload(input.payload)
      if (Result.isFailure(payload)) return Result.fail(payload.failure)
      request = HttpClientRequest.setBody(request, HttpBody.text(JSON.stringify(payload.success), "application/json"))
    }
    return Result.succeed(request)
  }
}

// ---------------------------------------------------------------------------
// Answers
// ---------------------------------------------------------------------------

const unexpected = (status: number, reason: string, excerpt: string) =>
  new MakeError.UnexpectedResponse({ status, reason, excerpt: ErrorText.excerpt(excerpt) })

/** The body parsed as JSON, once (the retry stage may have parsed it already); an empty body is `undefined`. */
const jsonOf = (response: HttpClientResponse.HttpClientResponse): Effect.Effect<Result.Result<unknown, string>> =>
  response instanceof BufferedResponse
    ? Effect.succeed(response.jsonNow())
    : Effect.map(Effect.orElseSucceed(response.text, () => ""), (text) => {
      try {
        return Result.succeed(text === "" ? undefined : JSON.parse(text))
      } catch {
        return Result.fail(text)
      }
    })

/**
 * The decoder of a JSON answer: parsed once, refused past {@link maxDepth} levels before any schema runs (a parser
 * walking a body nested 100,000 deep overflows the stack), then Schema's own parser, compiled once. A `RangeError`
 * from the parser on a body that passed the depth check is still a failure of this answer, never a defect.
 */
const jsonDecoder = (schema: Schema.Top): Endpoint["decode"] => {
  const json = codec(Schema.toCodecJson(schema))
  // Schema's own JIT compiler: the same parser generated as code for this schema, measured on Node 24 at about half
  // the time of the interpreted parser on a 10,000-organization list (bench/, the decode row). Where `new Function`
  // is refused (a strict CSP), Schema keeps the interpreted parser by itself.
  SchemaJITCompiler.enable(json.ast)
  // `reportInput`: Effect 4 keeps the rejected value on an issue only when asked, and an excerpt without it
  // (`id: Expected "Infinity" | "-Infinity" | "NaN"`) does not say what Make sent. ErrorText bounds and redacts it.
  const decode = Schema.decodeUnknownResult(json, { reportInput: true })
  // The fast path first (internal/fastDecoder.ts): derived from the same AST, it answers only values Schema's parser
  // would answer, and `undefined` for anything else, a failure included, which Schema's parser then decides.
  const fast = FastDecoder.compile(json.ast)
  return (response) =>
    Effect.flatMap(jsonOf(response), (parsed) => {
      if (Result.isFailure(parsed)) {
        return Effect.fail(unexpected(response.status, "the body is not JSON", parsed.failure))
      }
      if (!isShallow(parsed.success)) {
        return Effect.fail(
          unexpected(response.status, `the body is nested more than ${maxDepth} levels deep`, "")
        )
      }
      try {
        const quick = fast(parsed.success)
        if (quick !== undefined) return Effect.succeed(quick.value)
        const decoded = decode(parsed.success)
        return Result.isSuccess(decoded) ? Effect.succeed(decoded.success) : Effect.fail(
          unexpected(
            response.status,
            "the body does not match the response schema",
            ErrorText.formatIssues(decoded.failure).join("; ")
          )
        )
      } catch (thrown) {
        return Effect.fail(unexpected(response.status, "the body could not be decoded", thrownText(thrown)))
      }
    })
}

/**
 * What a parser threw, as text. Schema's `Result` adapter rethrows a defect of the parser (a `RangeError` of a stack
 * too deep) as "Result adapter can only return schema issues" with the defect's Cause attached: the defect itself is
 * what says what went wrong.
 */
const thrownText = (thrown: unknown): string =>
  String(thrown instanceof Error && Cause.isCause(thrown.cause) ? Cause.squash(thrown.cause) : thrown)

/** The decoder of a text answer (a `void` method's): the body as it came, never parsed. */
const textDecoder: Endpoint["decode"] = (response) =>
  response instanceof BufferedResponse
    ? Effect.succeed(response.textNow())
    : Effect.orElseSucceed(response.text, () => "")

/** The answer decoder of one endpoint: its JSON success schema, or text when every success is declared as text. */
const compileDecode = (
  endpoint: HttpApiEndpoint.Top,
  group: HttpApiGroup.Top,
  successes: ReadonlyMap<number, readonly [Schema.Top, ...Array<Schema.Top>]>
): Endpoint["decode"] => {
  const schemas = [...successes.values()].flat()
  const encodings = schemas.map((schema) => HttpApiSchema.getResponseEncodingSchema(schema)._tag)
  const statuses: ReadonlySet<number> = new Set(successes.keys())
  if (encodings.every((tag) => tag === "Text")) return answeredWith(statuses, textDecoder)
  const [json, ...others] = schemas
  if (json === undefined || others.length > 0 || encodings[0] !== "Json") {
    return refuse(endpoint, group, "declares a success that is not one JSON body")
  }
  return answeredWith(statuses, jsonDecoder(json))
}

/** The type side of the one JSON success schema, which {@link compileDecode} checks is the only one. */
const answerOf = (successes: ReadonlyMap<number, readonly [Schema.Top, ...Array<Schema.Top>]>) => {
  const [json] = [...successes.values()].flat()
  return json === undefined || HttpApiSchema.getResponseEncodingSchema(json)._tag !== "Json"
    ? undefined
    : Schema.toType(json)
}

/**
 * Only a status the contract declares for the endpoint is its answer: a 202 where Make answers 200 (a job accepted,
 * not done; a proxy's page) is not the value the schema describes, even when its body happens to match.
 */
const answeredWith = (statuses: ReadonlySet<number>, decode: Endpoint["decode"]): Endpoint["decode"] => (response) =>
  statuses.has(response.status) ? decode(response) : Effect.flatMap(
    textDecoder(response),
    (body) =>
      Effect.fail(
        unexpected(
          response.status,
          `status ${response.status}, which this call does not answer with`,
          typeof body === "string" ? body : ""
        )
      )
  )

// ---------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------

/** The tags the status mapper (internal/statusMapper.ts) produces from an answer; a declared error must be one. */
const mappedTags: ReadonlySet<string> = new Set([
  "NotFound",
  "NotConfirmed",
  "FeatureUnavailable",
  "InvalidRequest",
  "Unauthorized",
  "Forbidden",
  "RateLimited",
  "ServerError",
  "UnexpectedResponse"
])

const tagsOf = (ast: SchemaAST.AST): ReadonlyArray<string> =>
  SchemaAST.isUnion(ast) ? ast.types.flatMap(tagsOf) : Option.toArray(errorTagOf(ast))

const compileDeclared = (
  endpoint: HttpApiEndpoint.Top,
  group: HttpApiGroup.Top,
  errors: ReadonlyMap<number, readonly [Schema.Top, ...Array<Schema.Top>]>
): ReadonlySet<string> => {
  const declared = new Set([...errors.values()].flat().flatMap((schema) => tagsOf(schema.ast)))
  for (const tag of declared) {
    if (!mappedTags.has(tag)) refuse(endpoint, group, `declares the error ${tag}`)
  }
  return declared
}

// ---------------------------------------------------------------------------
// All of them
// ---------------------------------------------------------------------------

/**
 * Compiles every endpoint of a contract; throws, naming the endpoint, on anything the client does not implement.
 *
 * @internal
 */
export const compile = <Id extends string, G extends HttpApiGroup.Constraint>(
  api: HttpApi.HttpApi<Id, G>
): ReadonlyMap<string, Endpoint> => {
  const found = new Map<string, Endpoint>()
  HttpApi.reflect(api, {
    onGroup: () => {},
    onEndpoint: ({ endpoint, errors, group, successes }) => {
      found.set(`${group.identifier}.${endpoint.identifier}`, {
        group: group.identifier,
        name: endpoint.identifier,
        method: endpoint.method,
        route: `${endpoint.method} ${endpoint.path.replace(/:(\w+)/g, "{$1}")}`,
        declared: compileDeclared(endpoint, group, errors),
        request: compileRequest(endpoint, group),
        decode: compileDecode(endpoint, group, successes),
        answer: answerOf(successes)
      })
    }
  })
  return found
}

/**
 * The endpoints of the Make contract, compiled once when the module loads.
 *
 * @internal
 */
export const endpoints: ReadonlyMap<string, Endpoint> = compile(MakeHttpApi)

/**
 * The compiled endpoint `group.name`; throws when the contract has none (a programming error in a service).
 *
 * @internal
 */
export const endpoint = <G extends GroupName>(group: G, name: EndpointName<G>): Endpoint => {
  const found = endpoints.get(`${group}.${name}`)
  if (found === undefined) throw new Error(`effect-make: no endpoint ${group}.${name} in the contract`)
  return found
}
