/**
 * The triage example's classifier: a service, so that a model can replace the rules.
 *
 * The rules are honest keyword rules: each names the words it looks for, the queue and priority
 * it routes to, and says so in its reason. A ticket no rule matches goes to Support at normal
 * priority, for a human to look at.
 *
 * @since 0.1.0
 */
import { Context, Effect, Layer } from "effect"
import type * as Ticket from "../Ticket.js"

/**
 * Where a ticket should go, and why.
 *
 * @since 0.1.0
 * @category models
 */
export interface Classification {
  readonly queue: string
  readonly priority: Ticket.PriorityLevel
  readonly reason: string
}

/**
 * Classifies tickets. Replace the layer to use a model instead of the rules.
 *
 * @since 0.1.0
 * @category tags
 */
export class Classifier extends Context.Tag("ticketkit/demo/Classifier")<Classifier, {
  readonly classify: (ticket: Ticket.Ticket) => Effect.Effect<Classification>
}>() {}

interface Rule {
  readonly words: ReadonlyArray<string>
  readonly queue: string
  readonly priority: Ticket.PriorityLevel
}

/**
 * The rules, first match wins: outages before billing before how-to questions.
 *
 * @since 0.1.0
 * @category constants
 */
export const rules: ReadonlyArray<Rule> = [
  { words: ["outage", "down", "cannot log in", "can't log in", "data loss", "breach"], queue: "Engineering", priority: "urgent" },
  { words: ["error", "crash", "bug", "broken", "fails", "500"], queue: "Engineering", priority: "high" },
  { words: ["invoice", "refund", "charged", "payment", "billing", "receipt"], queue: "Billing", priority: "normal" },
  { words: ["quote", "pricing", "upgrade", "licence", "license", "demo"], queue: "Sales", priority: "low" },
  { words: ["password", "printer", "how do i", "vpn", "access"], queue: "Support", priority: "normal" }
]

const matchWord = (text: string, word: string) =>
  new RegExp(`(^|[^a-z0-9])${word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}([^a-z0-9]|$)`).test(text)

/**
 * Classifies by the first rule with a word in the title or description.
 *
 * @since 0.1.0
 * @category classifiers
 */
export const classifyByRules = (ticket: Ticket.Ticket): Classification => {
  const text = `${ticket.title}\n${ticket.description}`.toLowerCase()
  for (const rule of rules) {
    const word = rule.words.find((w) => matchWord(text, w))
    if (word !== undefined) {
      return { queue: rule.queue, priority: rule.priority, reason: `mentions "${word}": routed to ${rule.queue} at ${rule.priority} priority` }
    }
  }
  return { queue: "Support", priority: "normal", reason: "no rule matched: routed to Support at normal priority for a human to look at" }
}

/**
 * The rule-based classifier.
 *
 * @since 0.1.0
 * @category layers
 */
export const RulesLive = Layer.succeed(Classifier, { classify: (ticket) => Effect.succeed(classifyByRules(ticket)) })
