/** Starts the server: config from the environment, graceful shutdown on SIGTERM/SIGINT. */
import pino from 'pino';
import { loadConfig } from './config.js';
import { createRuntime } from './runtime.js';

const config = loadConfig();
const logger = pino({
  level: config.logLevel,
  ...(process.stdout.isTTY ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss' } } } : {}),
});

if (config.cookieSecretIsEphemeral) {
  logger.warn('COOKIE_SECRET is not set: guest names change on restart; set it when running several instances');
}

const runtime = await createRuntime(config, logger);
const address = await runtime.app.listen({ port: config.port, host: config.host });
logger.info({ address }, `Pecktra Live is up: ${config.publicUrl} (API docs at ${config.publicUrl}/docs)`);

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'shutting down: no new connections, finishing in-flight requests');
  // A hung dependency must not keep a stopping instance alive forever.
  const forceExit = setTimeout(() => {
    logger.error('shutdown timed out, exiting');
    process.exit(1);
  }, 10_000);
  forceExit.unref();
  try {
    await runtime.close();
    process.exit(0);
  } catch (err) {
    logger.error({ err }, 'error during shutdown');
    process.exit(1);
  }
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
