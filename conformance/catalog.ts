// The 30 endpoints of the Make documentation (Organizations, Admin > Teams), each with a valid request about an
// organization, team or invitation `id`. Data only: imports nothing.

/** A valid request to one endpoint (as the docs describe it), about the entity `id`. */
export interface Endpoint {
  /** The endpoint's number in the README's table and its route, e.g. `5 GET /organizations/{organizationId}`. */
  readonly name: string
  readonly method: "GET" | "POST" | "PATCH" | "DELETE"
  readonly path: (id: number) => string
  readonly query?: ReadonlyArray<readonly [string, string]>
  readonly body?: unknown
}

const org = (id: number) => `/organizations/${id}`

/** The 24 endpoints under `/organizations/{organizationId}`. */
export const organizationEndpoints: ReadonlyArray<Endpoint> = [
  { name: "5 GET /organizations/{organizationId}", method: "GET", path: org },
  {
    name: "6 DELETE /organizations/{organizationId}",
    method: "DELETE",
    path: org,
    query: [["confirmed", "true"]]
  },
  { name: "7 PATCH /organizations/{organizationId}", method: "PATCH", path: org, body: { name: "Renamed" } },
  { name: "8 GET /organizations/{organizationId}/apps", method: "GET", path: (id) => `${org(id)}/apps` },
  { name: "9 GET /organizations/{organizationId}/payments", method: "GET", path: (id) => `${org(id)}/payments` },
  {
    name: "10 POST /organizations/{organizationId}/single-payment-create",
    method: "POST",
    path: (id) => `${org(id)}/single-payment-create`,
    body: { priceId: 201, quantity: 1 }
  },
  {
    name: "11 GET /organizations/{organizationId}/subscription",
    method: "GET",
    path: (id) => `${org(id)}/subscription`
  },
  {
    name: "12 POST /organizations/{organizationId}/subscription",
    method: "POST",
    path: (id) => `${org(id)}/subscription`,
    body: { priceId: 101 }
  },
  {
    name: "13 DELETE /organizations/{organizationId}/subscription",
    method: "DELETE",
    path: (id) => `${org(id)}/subscription`
  },
  {
    name: "14 PATCH /organizations/{organizationId}/subscription",
    method: "PATCH",
    path: (id) => `${org(id)}/subscription`,
    body: { priceId: 102 }
  },
  {
    name: "15 POST /organizations/{organizationId}/subscription-free",
    method: "POST",
    path: (id) => `${org(id)}/subscription-free`,
    query: [["confirmed", "true"]]
  },
  {
    name: "16 POST /organizations/{organizationId}/subscription/coupon-apply",
    method: "POST",
    path: (id) => `${org(id)}/subscription/coupon-apply`,
    query: [["couponCode", "WELCOME10"]]
  },
  {
    name: "17 POST /organizations/{organizationId}/invite",
    method: "POST",
    path: (id) => `${org(id)}/invite`,
    body: { email: "ann@example.com", name: "Ann" }
  },
  { name: "18 GET /organizations/{organizationId}/variables", method: "GET", path: (id) => `${org(id)}/variables` },
  {
    name: "19 POST /organizations/{organizationId}/variables",
    method: "POST",
    path: (id) => `${org(id)}/variables`,
    body: { name: "x", typeId: 1, value: 1 }
  },
  {
    name: "20 DELETE /organizations/{organizationId}/variables/{variableName}",
    method: "DELETE",
    path: (id) => `${org(id)}/variables/dailyLimit`,
    query: [["confirmed", "true"]]
  },
  {
    name: "21 PATCH /organizations/{organizationId}/variables/{variableName}",
    method: "PATCH",
    path: (id) => `${org(id)}/variables/dailyLimit`,
    body: { typeId: 1, value: 5 }
  },
  {
    name: "22 GET /organizations/{organizationId}/variables/{variableName}/history",
    method: "GET",
    path: (id) => `${org(id)}/variables/dailyLimit/history`
  },
  { name: "23 GET /organizations/{organizationId}/usage", method: "GET", path: (id) => `${org(id)}/usage` },
  {
    name: "24 GET /organizations/{organizationId}/feature-controls",
    method: "GET",
    path: (id) => `${org(id)}/feature-controls`
  },
  {
    name: "25 PATCH /organizations/{organizationId}/feature-controls",
    method: "PATCH",
    path: (id) => `${org(id)}/feature-controls`,
    body: { id: 3, enabled: true }
  },
  {
    name: "26 GET /organizations/{organizationId}/check-team-permission",
    method: "GET",
    path: (id) => `${org(id)}/check-team-permission`,
    query: [["teamPermission", "scenario add"]]
  }
]

/** The endpoints about an organization given elsewhere than the path; `withOrganization` fills it in. */
export const organizationInQuery: ReadonlyArray<Endpoint> = [
  {
    name: "27 GET /admin/teams",
    method: "GET",
    path: () => "/admin/teams",
    query: []
  },
  { name: "28 POST /admin/teams", method: "POST", path: () => "/admin/teams" }
]

/** `organizationInQuery` about organization `id`. */
export const withOrganization = (endpoint: Endpoint, id: number): Endpoint =>
  endpoint.method === "GET"
    ? { ...endpoint, query: [["organizationId", String(id)]] }
    : { ...endpoint, body: { name: "Ops", organizationId: id } }

/** The two endpoints about a team. */
export const teamEndpoints: ReadonlyArray<Endpoint> = [
  { name: "29 PATCH /admin/teams/{teamId}", method: "PATCH", path: (id) => `/admin/teams/${id}`, body: { name: "X" } },
  { name: "30 DELETE /admin/teams/{teamId}", method: "DELETE", path: (id) => `/admin/teams/${id}` }
]

/** The two endpoints about an invitation (the id is unused: the hash is given). */
export const invitationEndpoints = (hash: string): ReadonlyArray<Endpoint> => [
  {
    name: "3 GET /organizations/invitation",
    method: "GET",
    path: () => "/organizations/invitation",
    query: [["hash", hash]]
  },
  {
    name: "4 POST /organizations/accept-invitation",
    method: "POST",
    path: () => "/organizations/accept-invitation",
    body: { hash }
  }
]

/** Every endpoint, 1 to 30, about organization 11, team 21 and the seed's invitation. */
export const allEndpoints: ReadonlyArray<Endpoint> = [
  { name: "1 GET /organizations", method: "GET", path: () => "/organizations" },
  {
    name: "2 POST /organizations",
    method: "POST",
    path: () => "/organizations",
    body: { name: "New", regionId: 1, timezoneId: 113, countryId: 1 }
  },
  ...invitationEndpoints("bf1effe1-bc9d-4ab3-9414-9c3b66175305"),
  ...organizationEndpoints,
  ...organizationInQuery.map((endpoint) => withOrganization(endpoint, 11)),
  ...teamEndpoints
]
