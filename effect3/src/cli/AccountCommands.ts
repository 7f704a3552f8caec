// The `vars`, `billing`, `usage` and `features` command groups: one subcommand per service method; variable values
// are decoded from text by the library's own body schemas. Floor 6: imports the services, domain/ and cli/Global.
/**
 * @since 0.1.0
 */
import { Args, Command, HelpDoc, Options } from "@effect/cli"
import { Effect, Option, Schema } from "effect"
import * as Billing from "../Billing.js"
import { CreateVariable, UpdateVariable } from "../domain/OrganizationVariable.js"
import * as FeatureControls from "../FeatureControls.js"
import * as MakeError from "../MakeError.js"
import * as OrganizationVariables from "../OrganizationVariables.js"
import * as Usage from "../Usage.js"
import * as Global from "./Global.js"

const orgId = Args.integer({ name: "ORG_ID" }).pipe(Args.withDescription("Organization id"))
const varName = Args.text({ name: "NAME" }).pipe(Args.withDescription("Variable name"))
const u = Option.getOrUndefined
const confirm = Options.boolean("confirm").pipe(Options.withDescription("Send confirmed=true"))
const priceId = Options.integer("price-id").pipe(Options.withDescription("Price id"))
const coupon = Options.text("coupon").pipe(Options.withDescription("Coupon code"), Options.optional)

/** Variable types by name, as Make's `typeId`s. */
const types = { number: 1, text: 2, boolean: 3, date: 4 } as const
const typeOption = Options.choice("type", ["number", "text", "boolean", "date"]).pipe(
  Options.withDescription("Value type (default text)"),
  Options.withDefault("text" as const)
)

/** The encoded (wire) form of a value given as text: a number or boolean parsed, text and dates kept. */
const wireValue = (type: keyof typeof types, text: string): unknown =>
  type === "number"
    ? (text.trim() === "" || Number.isNaN(Number(text)) ? text : Number(text))
    : type === "boolean"
    ? (text === "true" ? true : text === "false" ? false : text)
    : text

const decodeBody = <A, I>(operation: string, schema: Schema.Schema<A, I>, input: unknown) =>
  Effect.mapError(
    Schema.decodeUnknown(schema, { errors: "all" })(input),
    (error) => MakeError.invalidInput(operation, error)
  )

const varsList = Command.make(
  "list",
  { id: orgId },
  ({ id }) => Global.run(Effect.flatMap(OrganizationVariables.OrganizationVariables, (vars) => vars.list(id)))
).pipe(Command.withDescription("List the custom variables of an organization"))

const varsCreate = Command.make(
  "create",
  { id: orgId, name: varName, value: Args.text({ name: "VALUE" }), type: typeOption },
  ({ id, name, type, value }) =>
    Global.run(Effect.gen(function*() {
      const vars = yield* OrganizationVariables.OrganizationVariables
      const body = yield* decodeBody("OrganizationVariables.create", CreateVariable, {
        name,
        typeId: types[type],
        value: wireValue(type, value)
      })
      return yield* vars.create(id, body)
    }))
).pipe(Command.withDescription("Create a custom variable"))

const varsUpdate = Command.make(
  "update",
  { id: orgId, name: varName, value: Args.text({ name: "VALUE" }), type: typeOption },
  ({ id, name, type, value }) =>
    Global.run(Effect.gen(function*() {
      const vars = yield* OrganizationVariables.OrganizationVariables
      const body = yield* decodeBody("OrganizationVariables.update", UpdateVariable, {
        typeId: types[type],
        value: wireValue(type, value)
      })
      return yield* vars.update(id, name, body)
    }))
).pipe(Command.withDescription("Change a custom variable's value"))

const varsDelete = Command.make(
  "delete",
  { id: orgId, name: varName, confirm },
  ({ confirm, id, name }) =>
    Global.run(
      Effect.flatMap(
        OrganizationVariables.OrganizationVariables,
        (vars) => vars.delete(id, name, { confirmed: confirm })
      )
    )
).pipe(Command.withDescription("Delete a custom variable (needs --confirm)"))

const varsHistory = Command.make(
  "history",
  { id: orgId, name: varName },
  ({ id, name }) =>
    Global.run(Effect.flatMap(OrganizationVariables.OrganizationVariables, (vars) => vars.history(id, name)))
).pipe(Command.withDescription("The history of a custom variable"))

/**
 * `effect-make vars list|create|update|delete|history`.
 *
 * @since 0.1.0
 * @category commands
 */
export const vars = Command.make("vars").pipe(
  Command.withDescription("Organization custom variables"),
  Command.withSubcommands([varsList, varsCreate, varsUpdate, varsDelete, varsHistory])
)

const billingRun = <A, E>(f: (billing: Billing.Service) => Effect.Effect<A, E>) =>
  Global.run(Effect.flatMap(Billing.Billing, f))

const payments = Command.make(
  "payments",
  {
    id: orgId,
    offset: Options.integer("offset").pipe(Options.optional),
    limit: Options.integer("limit").pipe(Options.optional)
  },
  ({ id, limit, offset }) => billingRun((b) => b.payments(id, { offset: u(offset), limit: u(limit) }))
).pipe(Command.withDescription("List payments (one page)"))

const pay = Command.make(
  "pay",
  { id: orgId, priceId, quantity: Options.integer("quantity").pipe(Options.withDefault(1)), coupon },
  ({ coupon, id, priceId, quantity }) =>
    billingRun((b) => b.createSinglePayment(id, { priceId, quantity, couponCode: u(coupon) }))
).pipe(Command.withDescription("Make a single payment (e.g. an operations pack)"))

const subscription = Command.make(
  "subscription",
  { id: orgId },
  ({ id }) => billingRun((b) => b.subscription(id))
).pipe(Command.withDescription("Show the subscription"))

const subscribe = Command.make(
  "subscribe",
  { id: orgId, priceId, coupon },
  ({ coupon, id, priceId }) => billingRun((b) => b.createSubscription(id, { priceId, couponCode: u(coupon) }))
).pipe(Command.withDescription("Create a subscription"))

const change = Command.make(
  "change",
  { id: orgId, priceId },
  ({ id, priceId }) => billingRun((b) => b.changeSubscription(id, { priceId }))
).pipe(Command.withDescription("Change the subscription's price"))

const cancel = Command.make(
  "cancel",
  { id: orgId },
  ({ id }) => billingRun((b) => b.cancelSubscription(id))
).pipe(Command.withDescription("Cancel the subscription"))

const free = Command.make(
  "free",
  { id: orgId, confirm },
  ({ confirm, id }) => billingRun((b) => b.setFreePlan(id, { confirmed: confirm }))
).pipe(Command.withDescription("Move to the free plan (needs --confirm)"))

const applyCoupon = Command.make(
  "coupon",
  { id: orgId, code: Args.text({ name: "CODE" }) },
  ({ code, id }) => billingRun((b) => b.applyCoupon(id, code))
).pipe(Command.withDescription("Apply a coupon to the subscription"))

/**
 * `effect-make billing payments|pay|subscription|subscribe|change|cancel|free|coupon`.
 *
 * @since 0.1.0
 * @category commands
 */
export const billing = Command.make("billing").pipe(
  Command.withDescription("Payments and subscriptions"),
  Command.withSubcommands([payments, pay, subscription, subscribe, change, cancel, free, applyCoupon])
)

/**
 * `effect-make usage ORG_ID [--organization-timezone]`.
 *
 * @since 0.1.0
 * @category commands
 */
export const usage = Command.make(
  "usage",
  {
    id: orgId,
    organizationTimezone: Options.boolean("organization-timezone").pipe(
      Options.withDescription("Cut days in the organization's timezone")
    )
  },
  ({ id, organizationTimezone }) =>
    Global.run(Effect.flatMap(Usage.Usage, (usage) => usage.get(id, { organizationTimezone })))
).pipe(Command.withDescription("Operations and data transfer per day, last 30 days"))

const featuresList = Command.make(
  "list",
  { id: orgId, name: Options.text("name").pipe(Options.withDescription("Only this control"), Options.optional) },
  ({ id, name }) =>
    Global.run(
      Effect.flatMap(FeatureControls.FeatureControls, (features) => features.list(id, { featureControlName: u(name) }))
    )
).pipe(Command.withDescription("List the feature controls of an organization"))

/**
 * `on` or `off`, shown as `<on|off>`: `Args.choice` would show its cases a second time (`<on|off> on | off`).
 */
const onOff = Args.text({ name: "on|off" }).pipe(
  Args.withDescription("on or off"),
  Args.mapEffect((text) =>
    text === "on"
      ? Effect.succeed(true)
      : text === "off"
      ? Effect.succeed(false)
      : Effect.fail(HelpDoc.p(`Expected on or off, got '${text}'`))
  )
)

const featuresSet = Command.make(
  "set",
  {
    id: orgId,
    featureId: Args.integer({ name: "FEATURE_ID" }).pipe(Args.withDescription("Feature control id")),
    state: onOff
  },
  ({ featureId, id, state }) =>
    Global.run(
      Effect.flatMap(FeatureControls.FeatureControls, (features) =>
        features.update(id, { id: featureId, enabled: state }))
    )
).pipe(Command.withDescription("Switch a feature control on or off"))

/**
 * `effect-make features list|set`.
 *
 * @since 0.1.0
 * @category commands
 */
export const features = Command.make("features").pipe(
  Command.withDescription("Feature controls"),
  Command.withSubcommands([featuresList, featuresSet])
)
