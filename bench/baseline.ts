/**
 * The hand-written baseline: what a user would write without ticketkit. undici's `request`,
 * `JSON.parse`, and a plain mapping of each wire ticket onto the same shape as ticketkit's
 * `Ticket` (no validation, no error mapping, no spans), paging by offset with the same page size.
 */
import { Agent, request } from "undici"

/** the shape a hand-written client would map a wire ticket to (ticketkit's `Ticket`, as plain data) */
export interface PlainTicket {
  readonly id: string
  readonly title: string
  readonly description: string
  readonly state: { readonly type: string; readonly name: string }
  readonly priority: { readonly level: string; readonly name: string }
  readonly queue: { readonly id?: string; readonly name?: string }
  readonly requester?: { readonly email?: string; readonly name?: string }
  readonly assignee?: { readonly email?: string; readonly name?: string }
  readonly tags: ReadonlyArray<string>
  readonly createdAt: Date
  readonly updatedAt: Date
  readonly customFields: Record<string, unknown>
  readonly raw: unknown
}

const user = (value: unknown) =>
  typeof value !== "string" || value === "" ? undefined : value.includes("@") ? { email: value } : { name: value }

/** the plain mapping: no checks */
export const mapTicket = (t: any): PlainTicket => {
  const requester = user(t.requester)
  const assignee = user(t.assignee)
  return {
    id: String(t.id),
    title: t.subject,
    description: t.body ?? "",
    state: { type: t.status, name: t.status },
    priority: { level: t.priority_level, name: t.priority_level },
    queue: { id: String(t.department_id), name: t.department_name },
    ...(requester === undefined ? {} : { requester }),
    ...(assignee === undefined ? {} : { assignee }),
    tags: t.tags ?? [],
    createdAt: new Date(t.created),
    updatedAt: new Date(t.modified),
    customFields: t.custom_fields ?? {},
    raw: t
  }
}

/** A hand-written client of the reference API. */
export const makeClient = (url: string, token: string) => {
  const dispatcher = new Agent()
  const headers = { authorization: `Bearer ${token}`, accept: "application/json" }
  return {
    /** every ticket, page by page; `onPage` sees each page's tickets */
    async stream(pageSize: number, onPage: (tickets: ReadonlyArray<PlainTicket>) => void, limit = Number.POSITIVE_INFINITY): Promise<number> {
      let offset = 0
      let seen = 0
      for (;;) {
        const size = Math.min(pageSize, limit - seen)
        const response = await request(`${url}/api/tickets?offset=${offset}&limit=${size}`, { headers, dispatcher })
        if (response.statusCode !== 200) throw new Error(`HTTP ${response.statusCode}`)
        const body = JSON.parse(await response.body.text()) as { tickets: Array<unknown>; total: number }
        const tickets = body.tickets.map(mapTicket)
        onPage(tickets)
        seen += tickets.length
        offset += tickets.length
        if (tickets.length === 0 || offset >= body.total || seen >= limit) return seen
      }
    },
    close: () => dispatcher.close()
  }
}
