import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger } from 'pino';

/** Options for {@link createLogger}. */
export interface LoggerOptions {
  level: string;
  /** Where to write; standard output when absent. */
  destination?: DestinationStream;
}

/**
 * The root structured logger. Modules take a child with `logger.child({ module: 'name' })`.
 * Secrets never reach it: credentials are redacted wherever they could appear.
 */
export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      level: options.level,
      base: { service: 'botwire' },
      redact: {
        paths: [
          'password',
          '*.password',
          'token',
          '*.token',
          'apiKey',
          '*.apiKey',
          'api_key',
          '*.api_key',
          '*.*.api_key',
          '*.*.*.api_key',
          'req.headers.authorization',
          'req.headers.cookie',
        ],
        censor: '[redacted]',
      },
    },
    options.destination,
  );
}
