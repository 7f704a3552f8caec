// The `vars`, `billing`, `usage` and `features` command groups: one subcommand per service method; variable values
// are decoded from text by the library's own body schemas. Floor "the command": the services, domain/, cli/Global.
/**
 * The `vars`, `billing`, `usage` and `features` commands of `effect-make`.
 *
 * @since 1.0.0
 */
import { Effect, Option, Schema } from "effect"
import { Argument, Command, Flag } from "effect/cli"
import * as Billing from "../Billing.js"
import { CreateVariable, UpdateVariable } from "../domain/OrganizationVariable.js"
import * as FeatureControls from "../FeatureControls.js"
import * as MakeError from "../MakeError.js"
import * as OrganizationVariables from "../OrganizationVariables.js"
import * as Usage from "../Usage.js"
import * as Global from "./Global.js"

const orgId = Argument.Int("ORG_ID").pipe(Argument.withDescription("Organization id"))
const varName = Argument.String("NAME").pipe(Argument.withDescription("Variable name"))
const u = Option.getOrUndefined
const confirm = Flag.Boolean("confirm").pipe(Flag.withDescription("Send confirmed=true"), Flag.withDefault(false))
const priceId = Flag.Int("price-id").pipe(Flag.withDescription("Price id"))
const coupon = Flag.String("coupon").pipe(Flag.withDescription("Coupon code"), Flag.optional)
const vars_ = Effect.service(OrganizationVariables.OrganizationVariables)

/** Variable types by name, as Make's `typeId`s. */
const types = { number: 1, text: 2, boolean: 3, date: 4 } as const
const typeOption = Flag.Literals("type", ["number", "text", "boolean", "date"]).pipe(
  Flag.withDescription("Value type (default text)"),
  Flag.withDefault("text" as const)
)

/** The encoded (wire) form of a value given as text: a number or boolean parsed, text and dates kept. */
const wireValue = (type: keyof typeof types, text: string): unknown =>
  type === "number"
    ? (text.trim() === "" || Number.isNaN(Number(text)) ? text : Number(text))
    : type === "boolean"
    ? (text === "true" ? true : text === "false" ? false : text)
    : text

/** A body decoded by the library's own schema: every problem at once, as `InvalidInput`, before any request. */
const decodeBody = <S extends Schema.Top>(operation: string, schema: S, input: unknown) =>
  Effect.mapError(
    Schema.decodeUnknownEffect(schema)(input, { errors: "all" }),
    (error) => MakeError.invalidInput(operation, error)
  )

const varsList = Command.make(
  "list",
  { id: orgId },
  ({ id }) => Global.run(Effect.flatMap(vars_, (vars) => vars.list(id)))
).pipe(Command.withDescription("List the custom variables of an organization"))

const value = Argument.String("VALUE").pipe(Argument.withDescription("The value, as text"))

const varsCreate = Command.make(
  "create",
  { id: orgId, name: varName, value, type: typeOption },
  ({ id, name, type, value }) =>
    Global.run(Effect.gen(function*() {
      const vars = yield* vars_
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
  { id: orgId, name: varName, value, type: typeOption },
  ({ id, name, type, value }) =>
    Global.run(Effect.gen(function*() {
      const vars = yield* vars_
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
  ({ confirm, id, name }) => Global.run(Effect.flatMap(vars_, (vars) => vars.delete(id, name, { confirmed: confirm })))
).pipe(Command.withDescription("Delete a custom variable (needs --confirm)"))

const varsHistory = Command.make(
  "history",
  { id: orgId, name: varName },
  ({ id, name }) => Global.run(Effect.flatMap(vars_, (vars) => vars.history(id, name)))
).pipe(Command.withDescription("The history of a custom variable"))

/**
 * `effect-make vars list|create|update|delete|history`.
 *
 * @since 1.0.0
 * @category commands
 */
export const vars = Command.make("vars").pipe(
  Command.withDescription("Organization custom variables"),
  Command.withSubcommands([varsList, varsCreate, varsUpdate, varsDelete, varsHistory])
)

const billingRun = <A, E>(f: (billing: Billing.Service) => Effect.Effect<A, E>) =>
  Global.run(Effect.flatMap(Effect.service(Billing.Billing), f))

const payments = Command.make(
  "payments",
  {
    id: orgId,
    offset: Flag.Int("offset").pipe(Flag.withDescription("Entities to skip"), Flag.optional),
    limit: Flag.Int("limit").pipe(Flag.withDescription("Page size"), Flag.optional)
  },
  ({ id, limit, offset }) => billingRun((b) => b.payments(id, { offset: u(offset), limit: u(limit) }))
).pipe(Command.withDescription("List payments (one page)"))

const pay = Command.make(
  "pay",
  {
    id: orgId,
    priceId,
    quantity: Flag.Int("quantity").pipe(Flag.withDescription("How many"), Flag.withDefault(1)),
    coupon
  },
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
  { id: orgId, code: Argument.String("CODE").pipe(Argument.withDescription("Coupon code")) },
  ({ code, id }) => billingRun((b) => b.applyCoupon(id, code))
).pipe(Command.withDescription("Apply a coupon to the subscription"))

/**
 * `effect-make billing payments|pay|subscription|subscribe|change|cancel|free|coupon`.
 *
 * @since 1.0.0
 * @category commands
 */
export const billing = Command.make("billing").pipe(
  Command.withDescription("Payments and subscriptions"),
  Command.withSubcommands([payments, pay, subscription, subscribe, change, cancel, free, applyCoupon])
)

/**
 * `effect-make usage ORG_ID [--organization-timezone]`.
 *
 * @since 1.0.0
 * @category commands
 */
export const usage = Command.make(
  "usage",
  {
    id: orgId,
    organizationTimezone: Flag.Boolean("organization-timezone").pipe(
      Flag.withDescription("Cut days in the organization's timezone"),
      Flag.withDefault(false)
    )
  },
  ({ id, organizationTimezone }) =>
    Global.run(Effect.flatMap(Effect.service(Usage.Usage), (usage) => usage.get(id, { organizationTimezone })))
).pipe(Command.withDescription("Operations and data transfer per day, last 30 days"))

const features_ = Effect.service(FeatureControls.FeatureControls)

const featuresList = Command.make(
  "list",
  { id: orgId, name: Flag.String("name").pipe(Flag.withDescription("Only this control"), Flag.optional) },
  ({ id, name }) =>
    Global.run(Effect.flatMap(features_, (features) => features.list(id, { featureControlName: u(name) })))
).pipe(Command.withDescription("List the feature controls of an organization"))

/** `on` or `off`, shown as `<on|off>`. */
const onOff = Argument.String("on|off").pipe(
  Argument.withDescription("on or off"),
  Argument.filterMap(
    (text) => text === "on" ? Option.some(true) : text === "off" ? Option.some(false) : Option.none(),
    (text) => `Expected on or off, got '${text}'`
  )
)

const featuresSet = Command.make(
  "set",
  {
    id: orgId,
    featureId: Argument.Int("FEATURE_ID").pipe(Argument.withDescription("Feature control id")),
    state: onOff
  },
  ({ featureId, id, state }) =>
    Global.run(Effect.flatMap(features_, (features) => features.update(id, { id: featureId, enabled: state })))
).pipe(Command.withDescription("Switch a feature control on or off"))

/**
 * `effect-make features list|set`.
 *
 * @since 1.0.0
 * @category commands
 */
export const features = Command.make("features").pipe(
  Command.withDescription("Feature controls"),
  Command.withSubcommands([featuresList, featuresSet])
)
