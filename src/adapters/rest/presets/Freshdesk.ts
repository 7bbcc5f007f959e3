/**
 * The `freshdesk` preset: Freshdesk tickets (`https://DOMAIN.freshdesk.com/api/v2`).
 *
 * ```yaml
 * systems:
 *   freshdesk:
 *     adapter: rest
 *     options:
 *       preset: freshdesk
 *       baseUrl: https://acme.freshdesk.com/api/v2         # required: your domain
 *       auth: { _tag: basic, username: "${env:FRESHDESK_API_KEY}", password: X }
 * ```
 *
 * What the user adds: `baseUrl` (the account's domain, with `/api/v2`) and `auth`: Basic with the
 * API key as the user name and `X` as the password. Freshdesk creates a ticket only for a
 * requester: give `requester: { email }` in each draft, or a default under
 * `endpoints.create.body.constants.email`.
 *
 * How it maps: writes are flat; status and priority are written as JSON **numbers** (status 2
 * open, 3 pending, 4 resolved, 5 closed; priority 1 low, 2 normal (Medium), 3 high, 4 urgent); the
 * queue is the group id (`group_id`; a ticket in no group has the queue id `none`); the
 * description is read as plain text (`description_text`) and written as HTML (escaped); notes are
 * HTML, internal when `private: true` — the opposite polarity of Zendesk's `public` — and always
 * sent with the flag (Freshdesk's default is private). Replies read as public notes. Lists use
 * `GET /tickets` with `updated_since` always sent (Freshdesk otherwise lists only the tickets of the
 * last 30 days) and `include=description`, paged by `Link` headers.
 *
 * Claimed: creating tickets, public and internal notes, HTML notes, tags, states `open pending
 * resolved closed`, priorities, 100 per page. Not claimed, and why:
 * - **text search**: Freshdesk cannot search the subject or description.
 * - **filtering by status, priority and group in the system**: the filter endpoint takes at most
 *   10 pages of 30 tickets and dates without a time, so these filters are applied by the adapter
 *   to every page of the list instead (`params.clientSide`): exact, but every ticket changed since
 *   `updatedSince` is read.
 * - **state `new`**: Freshdesk has none (a new ticket is open); custom statuses (6 and up) are
 *   refused as unknown until they are added to `states`.
 * - **requester and assignee**: Freshdesk answers with numeric ids, and the mapping reads people
 *   by name or e-mail; a new ticket's requester is written as `email`.
 *
 * A 404 from Freshdesk has an empty body; on a ticket path it is `TicketNotFoundError`.
 *
 * @since 0.1.0
 */
import type { Preset } from "./Preset.js"

const iso = { _tag: "iso" } as const

/**
 * The `freshdesk` preset.
 *
 * @since 0.1.0
 * @category presets
 */
export const preset: Preset = {
  description: "Freshdesk (baseUrl: https://DOMAIN.freshdesk.com/api/v2; auth: basic API key + X)",
  variables: [],
  options: {
    endpoints: {
      list: "/tickets",
      search: null,
      get: "/tickets/{id}",
      create: "/tickets",
      update: { method: "PUT", path: "/tickets/{id}" },
      addNote: "/tickets/{id}/notes",
      listNotes: "/tickets/{id}/conversations"
    },
    fields: {
      id: { path: "id", codec: "number" },
      title: "subject",
      description: { read: "description_text", write: { path: "description", codec: "html" } },
      state: { path: "status", codec: "number" },
      priority: { path: "priority", codec: "number" },
      queueId: { path: "group_id", codec: "number", default: "none" },
      queueName: null,
      requester: { read: null, write: null, create: "email" },
      assignee: null,
      tags: "tags",
      customFields: null,
      createdAt: { path: "created_at", codec: iso },
      updatedAt: { path: "updated_at", codec: iso }
    },
    noteFields: {
      id: "id",
      body: { path: "body", codec: "html" },
      visibility: { path: "private", codec: "boolean" },
      contentType: null,
      timestamp: null,
      createdAt: { path: "created_at", codec: iso },
      author: null
    },
    params: {
      state: null,
      priority: null,
      queueIds: null,
      queueNames: null,
      updatedSince: "updated_since",
      text: null,
      constants: { updated_since: "1990-01-01T00:00:00Z", include: "description" },
      clientSide: ["state", "priority", "queue"]
    },
    responses: { list: "", search: "", total: null, nextCursor: null, ticket: "", notes: "", errorMessage: ["errors", "message", "description"] },
    pagination: { style: "link", sizeParam: "per_page" },
    states: { "2": "open", "3": "pending", "4": "resolved", "5": "closed" },
    priorities: { "1": "low", "2": "normal", "3": "high", "4": "urgent" },
    visibility: { internal: true, public: false },
    maxPageSize: 100
  }
}
