// Every route the running app has, read from Fastify's own router (not from our list of what we meant to
// register), so that a route added without auth is found by the tests that sweep them.
import type { App } from '../../../src/api/app-type';

export interface Route {
  method: string;
  /** With Fastify's parameters, e.g. `/v1/posts/:id`. */
  path: string;
}

/**
 * Parses `printRoutes({ commonPrefix: false })`: a tree whose lines are `├── /segment (GET, HEAD)`, four
 * characters of indentation per level, each segment appended to its parent's path.
 */
export function routesOf(app: App): Route[] {
  const routes: Route[] = [];
  const stack: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^([│ ]*)[├└]── (.*?)(?: \(([^)]*)\))?$/.exec(line);
    if (!match) continue;
    const depth = match[1]!.length / 4;
    stack.length = depth;
    stack.push(match[2]!);
    const path = stack.join('');
    for (const method of (match[3] ?? '')
      .split(',')
      .map((m) => m.trim())
      .filter(Boolean))
      routes.push({ method, path });
  }
  return routes;
}
