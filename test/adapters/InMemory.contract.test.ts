import { InMemory } from "ticketkit"
import { AdapterContract } from "ticketkit/testing"

AdapterContract.suite("InMemory", InMemory.layer(), {
  queue: { name: "Support" },
  otherQueue: { id: "3" },
  assignee: { name: "Alice" }
})
