/**
 * The `zendesk` preset: Zendesk Support tickets (`https://SUBDOMAIN.zendesk.com/api/v2`).
 *
 * ```yaml
 * systems:
 *   zendesk:
 *     adapter: rest
 *     options:
 *       preset: zendesk
 *       baseUrl: https://acme.zendesk.com/api/v2          # required: your subdomain
 *       auth: { _tag: basic, username: agent@acme.com/token, password: "${env:ZENDESK_TOKEN}" }
 * ```
 *
 * What the user adds: `baseUrl` (the account's subdomain, with `/api/v2`) and `auth`: Basic with
 * `{email}/token` as the user name and an API token as the password (or `bearer` with an OAuth
 * token).
 *
 * How it maps: every write is nested (`{"ticket": {…}}`); a note is a comment added through the
 * ticket update (`PUT /tickets/{id}.json` with `ticket.comment`), always sent with `public: true`
 * or `false` — Zendesk publishes a comment without the flag. Statuses `new open pending hold solved
 * closed` (hold reads as pending, pending and resolved are written as `pending` and `solved`);
 * priorities `low normal high urgent`, a ticket without one reads as `normal`; the queue is the
 * group id (`group_id`; a ticket in no group has the queue id `none`); tags as they are; the
 * description is the first comment (plain text), sent as `comment.body` on creation. Notes are
 * read as HTML (`html_body`) and written so (plain text escaped). Lists, filters and searches go
 * through `GET /search/export.json` (`type:ticket status:open priority:high group_id:1
 * updated>=…`), paged by cursor (`page[after]`, `meta.has_more`); comments are read page after
 * page (`next_page`).
 *
 * Claimed: creating tickets, public and internal notes, HTML notes, text search, tags, states
 * `open pending resolved` (every status is read and can be filtered by), priorities, 100 per page. Not claimed, and why:
 * - **the description after creation**: Zendesk keeps it as the first comment; changing it would
 *   add a public comment, so an update of the description is refused.
 * - **requester and assignee**: Zendesk answers with numeric user ids, and the mapping reads
 *   people by name or e-mail; a new ticket's requester is written as `requester.email`.
 * - **states `new` and `closed` as targets**: Zendesk refuses to set a ticket back to new, and a
 *   closed ticket refuses every update (Zendesk closes solved tickets itself); both are read and
 *   filtered by, and setting them is left to the system (its `RequestRejectedError`).
 *
 * Search on Zendesk is indexed: a new or changed ticket can take a moment to be found, and a filter
 * `priority:normal` does not find tickets without a priority.
 *
 * @since 0.1.0
 */
import type { Preset } from "./Preset.js"

const ticket = "/tickets/{id}.json"
const iso = { _tag: "iso" } as const

/**
 * The `zendesk` preset.
 *
 * @since 0.1.0
 * @category presets
 */
export const preset: Preset = {
  description: "Zendesk Support (baseUrl: https://SUBDOMAIN.zendesk.com/api/v2; auth: basic {email}/token + API token)",
  variables: [],
  options: {
    endpoints: {
      list: "/search/export.json",
      search: null,
      get: ticket,
      create: { path: "/tickets.json", body: { within: "ticket" } },
      update: { method: "PUT", path: ticket, body: { within: "ticket" } },
      addNote: { method: "PUT", path: ticket, body: { within: "ticket.comment" } },
      listNotes: "/tickets/{id}/comments.json"
    },
    fields: {
      id: { path: "id", codec: "number" },
      title: "subject",
      description: { read: "description", write: null, create: "comment.body" },
      state: "status",
      priority: { path: "priority", default: "normal" },
      queueId: { path: "group_id", codec: "number", default: "none" },
      queueName: null,
      requester: { read: null, write: null, create: "requester.email" },
      assignee: null,
      tags: "tags",
      customFields: null,
      createdAt: { path: "created_at", codec: iso },
      updatedAt: { path: "updated_at", codec: iso }
    },
    noteFields: {
      id: "id",
      body: { path: "html_body", codec: "html" },
      visibility: { path: "public", codec: "boolean" },
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
      updatedSince: null,
      text: null,
      constants: { "filter[type]": "ticket" },
      query: {
        param: "query",
        template: "type:ticket {filters}",
        state: "status:{value}",
        priority: "priority:{value}",
        queueId: "group_id:{value}",
        updatedSince: "updated>={value}",
        text: "{text}"
      }
    },
    responses: {
      list: "results",
      search: "results",
      total: null,
      nextCursor: "meta.after_cursor",
      ticket: "ticket",
      notes: "comments",
      notesNext: "next_page",
      errorMessage: ["details", "description", "error"]
    },
    pagination: { style: "cursor", cursorParam: "page[after]", sizeParam: "page[size]", hasMore: "meta.has_more" },
    states: { new: "new", open: "open", pending: "pending", hold: "pending", solved: "resolved", closed: "closed" },
    priorities: { low: "low", normal: "normal", high: "high", urgent: "urgent" },
    visibility: { internal: false, public: true },
    // new only on creation (Zendesk refuses to set it again); closed is final (a closed ticket refuses every update)
    capabilities: { states: ["open", "pending", "resolved"] },
    maxPageSize: 100
  }
}
