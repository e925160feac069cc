// Whether the production build (`.next/`) is older than anything it is built from. Shared by the
// launcher (`npm start`) and `npm run test:e2e`, so that neither rebuilds an up-to-date app.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Everything `next build` reads: sources, config, and the dependency lock. */
const INPUTS = [
  'app',
  'components',
  'lib',
  'config',
  'types',
  'proxy.ts',
  'next.config.js',
  'postcss.config.mjs',
  'tsconfig.json',
  'package-lock.json',
];

export function needsBuild(root: string): boolean {
  const buildId = join(root, '.next/BUILD_ID');
  if (!existsSync(buildId)) return true;
  const built = statSync(buildId).mtimeMs;
  const newer = (path: string): boolean => {
    if (!existsSync(path)) return false;
    const stat = statSync(path);
    if (!stat.isDirectory()) return stat.mtimeMs > built;
    return readdirSync(path).some((entry) => newer(join(path, entry)));
  };
  return INPUTS.some((path) => newer(join(root, path)));
}
