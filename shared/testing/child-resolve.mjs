// Loaded (node --import) into processes a suite starts: code graded from another checkout has no
// node_modules of its own, so a package it imports is looked up from the course, as the suites'
// Vite plugin does for code that runs in the test's own process (target-plugin.ts).
import { register } from 'node:module';

register(
  `data:text/javascript,${encodeURIComponent(`
const course = ${JSON.stringify(new URL('../../package.json', import.meta.url).href)};
export async function resolve(specifier, context, next) {
  try {
    return await next(specifier, context);
  } catch (error) {
    const bare = !/^(\\.|\\/|[a-z][a-z0-9+.-]*:)/i.test(specifier);
    if (!bare || error?.code !== 'ERR_MODULE_NOT_FOUND' || context.parentURL === course) throw error;
    return next(specifier, { ...context, parentURL: course });
  }
}
`)}`,
);
