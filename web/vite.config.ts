import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

/**
 * Writes .br and .gz next to every text asset of the build, once, at maximum compression; the
 * server sends them to browsers that accept them (@fastify/static `preCompressed`), so phones
 * download ~100 KB of JavaScript instead of ~320 KB without compressing on every request.
 */
function precompress(): Plugin {
  const compressible = /\.(js|css|html|svg|json)$/;
  const files = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const full = path.join(dir, name);
      return statSync(full).isDirectory() ? files(full) : [full];
    });
  return {
    name: 'pecktra-precompress',
    apply: 'build',
    writeBundle(options) {
      for (const file of files(options.dir!)) {
        if (!compressible.test(file)) continue;
        const content = readFileSync(file);
        if (content.length < 1024) continue;
        writeFileSync(`${file}.gz`, gzipSync(content, { level: 9 }));
        writeFileSync(`${file}.br`, brotliCompressSync(content, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11 } }));
      }
    },
  };
}

// The dev server proxies the API and WebSocket to the local server (`npm run dev` starts both);
// the Host header is kept so the server's same-origin checks accept the proxied requests.
const apiTarget = `http://127.0.0.1:${process.env.PORT ?? '8080'}`;

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react(), precompress()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    target: 'es2022',
    // No inline module-preload polyfill script: the CSP forbids inline scripts.
    modulePreload: { polyfill: false },
    reportCompressedSize: true,
    rollupOptions: {
      output: {
        // The app is one entry file, as it was before the console: code the lazily loaded console
        // shares with the viewer's pages stays in it instead of becoming a third file that every
        // viewer would also have to fetch. The console chunk holds only the console's own modules.
        // The report dialog (its component, words and call) is fetched on a viewer's first report.
        manualChunks: (id) =>
          /\/web\/src\/features\/(studio|admin)\/|\/web\/src\/features\/rooms\/(components\/(ReportDialog|report-text)|api\/report)\./.test(id) ? undefined : 'index',
      },
    },
  },
  server: {
    port: Number(process.env.WEB_DEV_PORT ?? 5173),
    proxy: {
      '/api': { target: apiTarget },
      '/docs': { target: apiTarget },
      '/ws': { target: apiTarget, ws: true },
    },
  },
});
