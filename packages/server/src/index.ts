/** @botwire/server: start Botwire from code (the CLI and tests do). */
export { startBotwire, type BotwireOptions, type BotwireServer } from './app.js';
export { configSchema, DEFAULT_CONFIG, type Config, type ConfigInput } from './config/config.js';
export { loadConfig, SERVER_USAGE } from './config/load-config.js';
export { createLogger, type Logger } from './logging/logger.js';
