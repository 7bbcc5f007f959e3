/**
 * A realistic, deterministic help desk: a few hundred tickets, most of them waiting in Incoming.
 *
 * @since 0.1.0
 */
/**
 * One ticket of the demo help desk, in the form `InMemory` fixtures take.
 *
 * @since 0.1.0
 * @category fixtures
 */
export interface HelpdeskTicket {
  readonly title: string
  readonly description: string
  readonly queue: string
  readonly state: "new" | "open" | "resolved"
  readonly priority: "normal"
  readonly requester: { readonly email: string }
  readonly tags: ReadonlyArray<string>
  readonly createdAt: string
}

const subjects: ReadonlyArray<readonly [string, string]> = [
  ["Website down for all users", "Since 09:10 the site answers 502 to everyone. Customers are calling."],
  ["Cannot log in after password change", "I changed my password this morning and now I cannot log in at all."],
  ["Error 500 when exporting report", "The export button fails with error 500 on the monthly report."],
  ["App crash on startup", "The desktop app crashes right after the splash screen since the update."],
  ["Charged twice for March", "My card was charged twice for the March subscription. Please refund one."],
  ["Need a copy of invoice 2026-0412", "Our accounting needs the invoice again, with our VAT number on it."],
  ["Refund request", "We cancelled within the trial period, please refund the payment."],
  ["Quote for 50 seats", "Could you send pricing for 50 seats on the business plan?"],
  ["Upgrade to enterprise licence", "We would like to upgrade and need to know about SSO."],
  ["Printer on floor 2 not printing", "The printer shows a paper jam but there is no paper stuck."],
  ["VPN keeps disconnecting", "The VPN drops every ten minutes from the home office."],
  ["How do I add a colleague?", "How do I give my colleague access to our shared board?"],
  ["Strange email from your domain", "I got an email asking for my card number, is this yours?"],
  ["Feature idea: dark mode", "It would be great to have a dark theme for the dashboard."],
  ["Datenexport mit Umlauten kaputt", "Beim Export werden ä, ö und ü als Fragezeichen angezeigt — broken since Monday."]
]
const people = ["ana@example.test", "bo@example.test", "chen@example.test", "dara@example.test", "eli@example.test"]
const otherQueues = ["Support", "Billing", "Sales", "Engineering"] as const

/**
 * `count` tickets; about four in five wait in Incoming as new or open.
 *
 * @since 0.1.0
 * @category fixtures
 */
export const helpdeskFixtures = (count = 300): ReadonlyArray<HelpdeskTicket> =>
  Array.from({ length: count }, (_, i) => {
    const [title, description] = subjects[(i * 7) % subjects.length]!
    const incoming = i % 5 !== 4
    const day = 1 + (i % 28)
    return {
      title: `${title} (#${1000 + i})`,
      description,
      queue: incoming ? "Incoming" : otherQueues[i % otherQueues.length]!,
      state: incoming ? (i % 3 === 0 ? "open" : "new") : (i % 2 === 0 ? "resolved" : "open"),
      priority: "normal",
      requester: { email: people[i % people.length]! },
      tags: i % 4 === 0 ? ["web"] : [],
      createdAt: `2026-11-${String(day).padStart(2, "0")}T08:${String(i % 60).padStart(2, "0")}:00Z`
    } satisfies HelpdeskTicket
  })
