import pc from 'picocolors'

/**
 * Colours for what the CLI prints: on a terminal only, and never with NO_COLOR set. picocolors'
 * own default also colours whenever a `CI` variable exists, which would put escape codes into
 * CI logs and into output other tools read.
 */
export const colours = pc.createColors(
  Boolean(process.stdout.isTTY) && !('NO_COLOR' in process.env),
)
