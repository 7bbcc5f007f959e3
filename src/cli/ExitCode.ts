/**
 * The exit codes of the `ticketkit` command: one per kind of failure, so that scripts can react.
 *
 * | code | meaning |
 * |---|---|
 * | 0 | success |
 * | 1 | unexpected error (a bug: please report it) |
 * | 2 | wrong usage (unknown command or option, bad value, nothing to update, `new` refused) |
 * | 3 | configuration or plugin error |
 * | 4 | authentication refused (`AuthenticationError`) |
 * | 5 | system unreachable or too slow (`ConnectionError`, `TimeoutError`) |
 * | 6 | ticket not found (`TicketNotFoundError`) |
 * | 7 | request refused: invalid input or change (`InvalidInputError`, `RequestRejectedError`) |
 * | 8 | system busy or failing: try later (`RateLimitError`, `ServerError`) |
 * | 9 | unexpected answer from the system (`InvalidResponseError`) |
 * | 10 | `check` found contract violations |
 * | 130 | interrupted by SIGINT (Ctrl-C); what was printed before stays |
 * | 141 | stdout was closed by its reader (`ticketkit fetch --all \| head`) |
 * | 143 | terminated by SIGTERM; what was printed before stays |
 *
 * @since 0.1.0
 */

/**
 * @since 0.1.0
 * @category constants
 */
export const ExitCode = {
  ok: 0,
  unexpected: 1,
  usage: 2,
  configuration: 3,
  authentication: 4,
  unreachable: 5,
  notFound: 6,
  rejected: 7,
  tryLater: 8,
  invalidResponse: 9,
  checkFailed: 10,
  /** 128 + SIGINT */
  interrupted: 130,
  /** 128 + SIGPIPE: the reader of stdout went away */
  brokenPipe: 141,
  /** 128 + SIGTERM */
  terminated: 143
} as const

/**
 * The exit code for a failure, by its tag.
 *
 * @since 0.1.0
 * @category utils
 */
export const forTag = (tag: string): number => {
  switch (tag) {
    case "ValidationError":
    case "UsageError":
    case "InvalidAdapterNameError":
    case "DirectoryNotEmptyError":
    case "ScaffoldWriteError":
      return ExitCode.usage
    case "ConfigError":
    case "ConfigurationError":
    case "PluginError":
    case "UnknownAdapterError":
    case "DuplicateAdapterError":
      return ExitCode.configuration
    case "AuthenticationError":
      return ExitCode.authentication
    case "ConnectionError":
    case "TimeoutError":
      return ExitCode.unreachable
    case "TicketNotFoundError":
      return ExitCode.notFound
    case "InvalidInputError":
    case "RequestRejectedError":
      return ExitCode.rejected
    case "RateLimitError":
    case "ServerError":
      return ExitCode.tryLater
    case "InvalidResponseError":
      return ExitCode.invalidResponse
    case "CheckFailed":
      return ExitCode.checkFailed
    default:
      return ExitCode.unexpected
  }
}
