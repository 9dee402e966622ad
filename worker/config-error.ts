/** A var that is not a valid limit. Its message names the var and carries no user input, so it may be logged. */
export class ConfigError extends Error {
  override name = "ConfigError";
}
