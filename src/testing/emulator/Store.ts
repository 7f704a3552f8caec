// The emulator's store: the data, indexed by organization and key so no request scans others, one transaction idiom.
// Imports `effect` and testing/ (records, options, the request log).
/**
 * @since 1.0.0
 * @internal
 */
import { Array as Arr, Effect, HashMap, Option, Ref, Result } from "effect"
import type { Settings } from "./Options.js"
import type {
  CustomAppRecord,
  FeatureControlRecord,
  InvitationRecord,
  MembershipRecord,
  OrganizationRecord,
  PaymentRecord,
  SubscriptionRecord,
  TeamRecord,
  TeamRoleRecord,
  UserRecord,
  VariableRecord
} from "./Records.js"
import type { RequestLog } from "./RequestLog.js"

// ---------------------------------------------------------------------------
// An index of organization-scoped records
// ---------------------------------------------------------------------------

/**
 * Records that belong to an organization, by their key and by organization (keys in insertion order), so that
 * finding one record or the records of one organization never scans the others. Immutable (persistent `HashMap`s).
 *
 * @since 1.0.0
 * @category models
 */
export interface Index<K, A extends { readonly organizationId: number }> {
  readonly keyOf: (record: A) => K
  readonly byKey: HashMap.HashMap<K, A>
  readonly byOrganization: HashMap.HashMap<number, ReadonlyArray<K>>
}

/**
 * An index of `records` (in order) under `keyOf`.
 *
 * @since 1.0.0
 * @category constructors
 */
export const indexOf = <K, A extends { readonly organizationId: number }>(
  keyOf: (record: A) => K,
  records: ReadonlyArray<A> = []
): Index<K, A> => {
  const grouped = new Map<number, Array<K>>()
  for (const record of records) {
    const keys = grouped.get(record.organizationId) ?? []
    keys.push(keyOf(record))
    grouped.set(record.organizationId, keys)
  }
  return {
    keyOf,
    byKey: HashMap.mutate(HashMap.empty<K, A>(), (map) => {
      for (const record of records) HashMap.set(map, keyOf(record), record)
    }),
    byOrganization: HashMap.fromIterable(grouped)
  }
}

/**
 * The record under a key.
 *
 * @since 1.0.0
 * @category queries
 */
export const lookup = <K, A extends { readonly organizationId: number }>(
  index: Index<K, A>,
  key: K
): Option.Option<A> => HashMap.get(index.byKey, key)

/**
 * The records of an organization, in insertion order.
 *
 * @since 1.0.0
 * @category queries
 */
export const inOrganization = <K, A extends { readonly organizationId: number }>(
  index: Index<K, A>,
  organizationId: number
): ReadonlyArray<A> =>
  Option.getOrElse(HashMap.get(index.byOrganization, organizationId), (): ReadonlyArray<K> => []).flatMap((key) =>
    Option.toArray(HashMap.get(index.byKey, key))
  )

/**
 * Every record, organization by organization.
 *
 * @since 1.0.0
 * @category queries
 */
export const allOf = <K, A extends { readonly organizationId: number }>(index: Index<K, A>): ReadonlyArray<A> =>
  Array.from(HashMap.values(index.byKey))

/**
 * Adds a record last in its organization, or replaces the one under its key where it stands.
 *
 * @since 1.0.0
 * @category operations
 */
export const put = <K, A extends { readonly organizationId: number }>(index: Index<K, A>, record: A): Index<K, A> => {
  const key = index.keyOf(record)
  const known = HashMap.has(index.byKey, key)
  return {
    ...index,
    byKey: HashMap.set(index.byKey, key, record),
    byOrganization: known ? index.byOrganization : HashMap.modifyAt(
      index.byOrganization,
      record.organizationId,
      (keys) => Option.some(Arr.append(Option.getOrElse(keys, (): ReadonlyArray<K> => []), key))
    )
  }
}

/**
 * Removes the record under a key.
 *
 * @since 1.0.0
 * @category operations
 */
export const remove = <K, A extends { readonly organizationId: number }>(index: Index<K, A>, key: K): Index<K, A> =>
  Option.match(HashMap.get(index.byKey, key), {
    onNone: () => index,
    onSome: (record) => ({
      ...index,
      byKey: HashMap.remove(index.byKey, key),
      byOrganization: HashMap.modify(
        index.byOrganization,
        record.organizationId,
        (keys) => keys.filter((k) => k !== key)
      )
    })
  })

/**
 * Removes every record of an organization.
 *
 * @since 1.0.0
 * @category operations
 */
export const removeOrganizationFrom = <K, A extends { readonly organizationId: number }>(
  index: Index<K, A>,
  organizationId: number
): Index<K, A> => ({
  ...index,
  byKey: HashMap.removeMany(
    index.byKey,
    Option.getOrElse(HashMap.get(index.byOrganization, organizationId), (): ReadonlyArray<K> => [])
  ),
  byOrganization: HashMap.remove(index.byOrganization, organizationId)
})

// ---------------------------------------------------------------------------
// The data
// ---------------------------------------------------------------------------

/**
 * The next id of each kind of record that has its own sequence (as Make's tables do).
 *
 * @since 1.0.0
 * @category models
 */
export type Counters = {
  readonly user: number
  readonly invitation: number
  readonly payment: number
  readonly subscription: number
  readonly historyEntry: number
}

/** The key of a record named within its organization (a variable, a custom app, a feature control). */
const scoped = (organizationId: number, name: string | number): string => `${organizationId}/${name}`

/**
 * The keys of the indexes: teams, payments and subscriptions by id, invitations by hash, the rest by organization and
 * name (variables, custom apps), id (feature controls) or user (memberships).
 *
 * @since 1.0.0
 * @category constructors
 */
export const keys = {
  team: (team: TeamRecord): number => team.id,
  membership: (m: Pick<MembershipRecord, "organizationId" | "userId">): string => scoped(m.organizationId, m.userId),
  invitation: (invitation: InvitationRecord): string => invitation.hash,
  customApp: (app: CustomAppRecord): string => scoped(app.organizationId, app.name),
  payment: (payment: PaymentRecord): number => payment.id,
  subscription: (subscription: SubscriptionRecord): number => subscription.id,
  variable: (variable: Pick<VariableRecord, "organizationId" | "name">): string =>
    scoped(variable.organizationId, variable.name),
  featureControl: (control: Pick<FeatureControlRecord, "organizationId" | "id">): string =>
    scoped(control.organizationId, control.id)
}

/**
 * Everything the emulated instance holds. Immutable: every change makes a new value.
 *
 * @since 1.0.0
 * @category models
 */
export type Data = {
  readonly organizations: HashMap.HashMap<number, OrganizationRecord>
  /** Organization ids in creation order. */
  readonly organizationOrder: ReadonlyArray<number>
  readonly teams: Index<number, TeamRecord>
  /** The next id to issue; organizations and teams share the sequence, so every id is unique. */
  readonly nextId: number
  readonly users: ReadonlyArray<UserRecord>
  readonly memberships: Index<string, MembershipRecord>
  readonly teamRoles: ReadonlyArray<TeamRoleRecord>
  readonly invitations: Index<string, InvitationRecord>
  readonly customApps: Index<string, CustomAppRecord>
  readonly payments: Index<number, PaymentRecord>
  readonly subscriptions: Index<number, SubscriptionRecord>
  readonly variables: Index<string, VariableRecord>
  readonly featureControls: Index<string, FeatureControlRecord>
  /** The other sequences. */
  readonly counters: Counters
}

/**
 * Every organization, in creation order.
 *
 * @since 1.0.0
 * @category queries
 */
export const organizationsOf = (data: Data): ReadonlyArray<OrganizationRecord> =>
  data.organizationOrder.flatMap((id) => Option.toArray(HashMap.get(data.organizations, id)))

/**
 * @since 1.0.0
 * @category queries
 */
export const findOrganization = (data: Data, id: number): Option.Option<OrganizationRecord> =>
  HashMap.get(data.organizations, id)

/**
 * @since 1.0.0
 * @category queries
 */
export const findTeam = (data: Data, id: number): Option.Option<TeamRecord> => lookup(data.teams, id)

/**
 * Every team of an organization, deleted ones included.
 *
 * @since 1.0.0
 * @category queries
 */
export const teamsOf = (data: Data, organizationId: number): ReadonlyArray<TeamRecord> =>
  inOrganization(data.teams, organizationId)

/**
 * The teams an organization shows (`organization.teams`): those not deleted.
 *
 * @since 1.0.0
 * @category queries
 */
export const liveTeamsOf = (data: Data, organizationId: number): ReadonlyArray<TeamRecord> =>
  teamsOf(data, organizationId).filter((team) => !team.deleted)

/**
 * Puts an organization in the store (added last, or replaced where it stands).
 *
 * @since 1.0.0
 * @category operations
 */
export const putOrganization = (data: Data, org: OrganizationRecord): Data => ({
  ...data,
  organizations: HashMap.set(data.organizations, org.id, org),
  organizationOrder: HashMap.has(data.organizations, org.id)
    ? data.organizationOrder
    : Arr.append(data.organizationOrder, org.id)
})

/**
 * Changes an organization; `None` when there is no such organization.
 *
 * @since 1.0.0
 * @category operations
 */
export const updateOrganization =
  (id: number, change: (org: OrganizationRecord) => OrganizationRecord) =>
  (data: Data): readonly [Option.Option<OrganizationRecord>, Data] =>
    Option.match(findOrganization(data, id), {
      onNone: () => [Option.none(), data],
      onSome: (org) => {
        const updated = change(org)
        return [Option.some(updated), putOrganization(data, updated)]
      }
    })

/**
 * Gives a user a role in a team, replacing the role they had there.
 *
 * @since 1.0.0
 * @category operations
 */
export const setTeamRole = (role: TeamRoleRecord) => (data: Data): Data => ({
  ...data,
  teamRoles: Arr.append(
    data.teamRoles.filter((r) => !(r.userId === role.userId && r.teamId === role.teamId)),
    role
  )
})

// ---------------------------------------------------------------------------
// The state and its one transaction idiom
// ---------------------------------------------------------------------------

/**
 * A running emulated instance: its settings, its data and its request log. Internal: users reach it through
 * `Emulator.Service`. (The fault plan in force is kept beside it, in `EmulatorFaults.FaultState`.)
 *
 * @since 1.0.0
 * @category models
 * @internal
 */
export interface EmulatorState {
  readonly settings: Settings
  readonly data: Ref.Ref<Data>
  readonly log: Ref.Ref<RequestLog>
}

/**
 * The data as it is now (an immutable value: one consistent snapshot).
 *
 * @since 1.0.0
 * @category combinators
 */
export const snapshot = (state: EmulatorState): Effect.Effect<Data> => Ref.get(state.data)

/**
 * Reads the data (one consistent snapshot).
 *
 * @since 1.0.0
 * @category combinators
 */
export const read = <A>(state: EmulatorState, f: (data: Data) => A): Effect.Effect<A> =>
  Effect.map(Ref.get(state.data), f)

/**
 * The one way the emulator changes its data: a check-and-change run atomically in one `Ref.modify`. A failure leaves
 * the data as it was and fails with the error; a success stores the new data and succeeds with the result. So a
 * refused request changes nothing, and concurrent requests never see half a change.
 *
 * @since 1.0.0
 * @category combinators
 */
export const transact = <A, E>(
  state: EmulatorState,
  step: (data: Data) => Result.Result<readonly [A, Data], E>
): Effect.Effect<A, E> =>
  Effect.flatMap(
    Ref.modify(state.data, (data): readonly [Result.Result<A, E>, Data] =>
      Result.match(step(data), {
        onFailure: (error) => [Result.fail(error), data],
        onSuccess: ([result, next]) => [Result.succeed(result), next]
      })),
    Effect.fromResult
  )

/**
 * The outcome of a successful check-and-change: what to answer, and the data to store.
 *
 * @since 1.0.0
 * @category combinators
 */
export const commit = <A>(result: A, data: Data): readonly [A, Data] => [result, data]

// ---------------------------------------------------------------------------
// Users, memberships and team roles
// ---------------------------------------------------------------------------

/**
 * The user with an e-mail, compared case-insensitively (as e-mail addresses are).
 *
 * @since 1.0.0
 * @category queries
 */
export const findUserByEmail = (data: Data, email: string): Option.Option<UserRecord> =>
  Arr.findFirst(data.users, (user) => user.email.toLowerCase() === email.toLowerCase())

/**
 * Whether a user is a member of an organization.
 *
 * @since 1.0.0
 * @category queries
 */
export const isMember = (data: Data, userId: number, organizationId: number): boolean =>
  Option.isSome(lookup(data.memberships, keys.membership({ userId, organizationId })))

/**
 * A user's roles in the teams of an organization that are not deleted (a deleted team grants nothing).
 *
 * @since 1.0.0
 * @category queries
 */
export const liveTeamRolesOf = (data: Data, userId: number, organizationId: number): ReadonlyArray<TeamRoleRecord> => {
  const teamIds = new Set(liveTeamsOf(data, organizationId).map((team) => team.id))
  return data.teamRoles.filter((role) => role.userId === userId && teamIds.has(role.teamId))
}
