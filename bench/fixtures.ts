/**
 * Realistic help-desk tickets, made from their index (the reference server's generated mode), so
 * that a benchmark can serve a million of them without holding them.
 *
 * A ticket on the wire is ~700 bytes: a title, a paragraph or two of description, requester and
 * assignee, 0–3 tags and four custom fields (string, number, boolean, string list).
 */
import type * as InMemory from "../src/adapters/InMemory.js"

const subjects = [
  "Cannot log in after the password reset",
  "Invoice shows the wrong VAT rate",
  "Datenexport mit Umlauten kaputt",
  "Need a copy of last month's invoice",
  "Charged twice for March",
  "How do I add a colleague to our account?",
  "API returns 502 when uploading attachments",
  "Quote for 50 seats on the business plan",
  "Le tableau de bord ne se charge plus",
  "SSO with Azure AD fails with invalid_grant"
]

const sentences = [
  "Since this morning nobody in our team can open the dashboard; it keeps spinning and then shows a blank page.",
  "We tried another browser and cleared the cache, with the same result.",
  "The invoice lists 19% VAT although we are a reverse-charge customer in another EU country.",
  "Could you please send the corrected document to our accounts payable address?",
  "Umlaute wie ä, ö und ü werden im CSV-Export als Fragezeichen ausgegeben.",
  "This blocks our month-end closing, so a quick answer would be much appreciated.",
  "Attached is the request id from the error page: 7f3c2a91-5d0e-4b8a-9c61-2e4f0b7d8a13.",
  "We would like to upgrade before the end of the quarter if the price works for us.",
  "The colleague should have the same permissions as me, but not see billing.",
  "Error: invalid_grant — AADSTS50173: the provided grant has expired due to it being revoked."
]

const states = ["new", "open", "pending", "resolved", "closed"] as const
const priorities = ["normal", "low", "high", "normal", "urgent", "normal"] as const
const queues = ["Incoming", "Support", "Billing", "Sales", "Engineering"] as const
const agents = ["Alice Martin", "Bogdan Nowak", "Chiara Rossi", "Deniz Yılmaz"] as const
const tagPool = ["vip", "billing", "sso", "export", "regression", "eu", "renewal"] as const
const tiers = ["free", "business", "enterprise"] as const
const products = ["helpdesk", "crm", "analytics", "api"] as const

const base = Date.UTC(2025, 0, 1, 8, 0, 0)

/** the ticket at an index: a pure function of it */
export const fixture = (i: number): Omit<InMemory.Fixture, "id" | "notes"> => {
  const sentenceCount = 2 + (i % 3)
  const description: Array<string> = []
  for (let k = 0; k < sentenceCount; k++) description.push(sentences[(i * 3 + k * 7) % sentences.length]!)
  const tagCount = i % 4
  const tags: Array<string> = []
  for (let k = 0; k < tagCount; k++) tags.push(tagPool[(i + k * 3) % tagPool.length]!)
  const createdAt = base + i * 60_000
  return {
    title: `${subjects[i % subjects.length]} (#${10_000 + i})`,
    description: description.join(" "),
    state: states[i % states.length]!,
    priority: priorities[(i * 7) % priorities.length]!,
    queue: queues[(i >> 1) % queues.length]!,
    requester: i % 3 === 0 ? { email: `customer${i % 997}@example.test` } : { name: `Customer ${i % 211}` },
    ...(i % 4 === 0 ? {} : { assignee: { name: agents[i % agents.length]! } }),
    tags,
    customFields: {
      customer_tier: tiers[i % tiers.length]!,
      seats: (i % 50) + 1,
      sla_breached: i % 11 === 0,
      products: products.slice(0, 1 + (i % products.length))
    },
    createdAt,
    updatedAt: createdAt + (i % 1440) * 60_000
  }
}

/** the generated-fixtures option of a reference server with `count` such tickets */
export const generated = (count: number): InMemory.GeneratedFixtures => ({ count, fixture })
