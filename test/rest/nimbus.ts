/**
 * Nimbus Desk described by configuration only: the `ticketkit.yaml` a user writes for it, and the
 * same options as a value (read from that YAML) for the layer-based tests.
 */
import { Redacted } from "effect"
import type { RestAdapter } from "ticketkit"
import * as YAML from "yaml"

/** the configuration file for a Nimbus Desk at `url`; the token comes from `$NIMBUS_TOKEN` */
export const nimbusYaml = (url: string, extra: ReadonlyArray<string> = []) => `
systems:
  nimbus:
    adapter: rest
    options:
      baseUrl: ${url}
      auth: { _tag: header, name: X-Nimbus-Token, value: "\${env:NIMBUS_TOKEN}" }
      endpoints:
        list: /tickets
        search: /search
        get: /tickets/{id}
        create: { path: /tickets, body: { within: ticket } }
        update: { method: PATCH, path: "/tickets/{id}", body: { within: ticket } }
        addNote: /tickets/{id}/comments
        listNotes: /tickets/{id}/comments
      fields:
        title: subject
        description: { path: description_html, codec: html }
        state: status
        priority: { path: urgency, codec: number }
        queueId: { read: team.id, write: team_id, codec: number }
        queueName: { read: team.name, write: null }
        requester: requester_email
        assignee: assignee
        tags: { path: tags, codec: { _tag: split, separator: "," } }
        customFields: null
        createdAt: { path: created_at, codec: epochSeconds }
        updatedAt: { path: updated_at, codec: epochSeconds }
      noteFields:
        id: id
        body: { path: body_html, codec: html }
        visibility: { path: public, codec: boolean }
        contentType: null
        timestamp: null
        createdAt: { path: created_at, codec: epochSeconds }
        author: author.name
      params: { state: status, priority: urgency, queueIds: team_id, queueNames: null, updatedSince: updated_since, text: query }
      responses: { list: data, search: data, total: null, nextCursor: paging.next, ticket: ticket, notes: data, errorMessage: [fault.description] }
      pagination: { style: cursor, cursorParam: cursor, sizeParam: limit }
      states: { new: new, open: open, on_hold: pending, solved: resolved, closed: closed }
      priorities: { "1": low, "2": normal, "3": high, "4": urgent }
      visibility: { internal: false, public: true }
      maxPageSize: 50
${extra.map((line) => `      ${line}`).join("\n")}
`

/** the options of the YAML file, as a value (the token given, not read from the environment) */
export const nimbusOptions = (url: string, token: string): RestAdapter.OptionsInput => {
  const options = YAML.parse(nimbusYaml(url)).systems.nimbus.options
  return { ...options, name: "nimbus", auth: { ...options.auth, value: Redacted.make(token) } }
}
