/** The extension-repository feature: serves the SillyTavern extension for git clone. */
import fp from 'fastify-plugin';
import { loadExtensionRepository } from './repository.js';
import { extensionRepositoryRoutes } from './routes.js';

export interface ExtensionRepositoryFeatureOptions {
  /** The extension's folder; without a manifest.json in it the routes answer 404. */
  directory: string;
}

export const extensionRepositoryFeature = fp<ExtensionRepositoryFeatureOptions>(
  async (app, { directory }) => {
    const repository = await loadExtensionRepository(directory);
    if (!repository) app.log.warn({ directory }, 'SillyTavern extension folder not found: git install is unavailable');
    await app.register(extensionRepositoryRoutes, { repository });
  },
  { name: 'extension-repository', dependencies: ['auth', 'api-docs'] },
);
