/**
 * The version of ticketkit (kept equal to package.json's by a test).
 *
 * @since 0.1.0
 */

/**
 * @since 0.1.0
 * @category constants
 */
export const version = "0.1.0"
