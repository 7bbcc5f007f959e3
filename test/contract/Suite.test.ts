// The vitest suite on a system that cannot create tickets: once with a ticket named (the write
// checks run on it and put it back; those needing tickets of their own are shown skipped, with
// why), once read-only (every write check shown skipped: "writes are unverified"). The coverage
// is printed after each.
import { InMemory } from "ticketkit"
import { AdapterContract } from "ticketkit/testing"

const fixtures: ReadonlyArray<InMemory.Fixture> = [
  { id: 1, title: "Printer jammed", queue: "Support", priority: "high", tags: ["hardware"] },
  { id: 2, title: "Invoice copy", queue: "Billing" },
  { id: 3, title: "Password reset", queue: "Support", state: "open" }
]

AdapterContract.suite("InMemory without ticket creation, a ticket named", InMemory.layer({ fixtures, capabilities: { createTickets: false } }), {
  queue: { name: "Support" },
  otherQueue: { name: "Billing" },
  assignee: { name: "Alice" },
  tickets: ["1"]
})

AdapterContract.suite("InMemory, read-only", InMemory.layer({ fixtures }), {
  queue: { name: "Support" },
  readOnly: true
})
