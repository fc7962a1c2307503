import { RequestMethod } from '@nestjs/common';
import {
  EXCEPTION_FILTERS_METADATA,
  GUARDS_METADATA,
  METHOD_METADATA,
  PATH_METADATA,
} from '@nestjs/common/constants';
import type { INestApplication } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, ModulesContainer, Reflector } from '@nestjs/core';
import { ACCESS_KEY, type AccessRule, COUNTY_OPEN_KEY } from '../../src/auth/auth.decorators';
import { ConsoleExceptionFilter } from '../../src/console/console-exception.filter';
import { CsrfGuard } from '../../src/console/csrf.guard';
import { ScriptJsonExceptionFilter } from '../../src/console/script-json-exception.filter';

/** One route as the Nest router serves it, with the access rule the AuthGuard will apply to it. */
export interface RouteInfo {
  method: string;
  /** Express-style path, e.g. `/api/alerts/:id/approve`. */
  path: string;
  /** `Controller.handler`, for messages. */
  name: string;
  /** What AuthGuard reads: handler metadata, else class metadata (getAllAndOverride). */
  rule: AccessRule | undefined;
  /**
   * A console page: errors are HTML and a missing session redirects to /login. Not a console route its scripts
   * fetch (`@ScriptEndpoint()`): its errors are the API's JSON, a missing session a 401.
   */
  console: boolean;
  /** Non-GET calls must carry the console CSRF token. */
  csrf: boolean;
  /** A signed-in route county officers may call too (`@OpenToCounties()`). */
  countyOpen: boolean;
}

const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);

const joinPath = (...parts: string[]): string =>
  '/' +
  parts
    .flatMap((p) => p.split('/'))
    .filter((s) => s.length > 0)
    .join('/');

/**
 * Every route of every controller the app has registered, read from the same metadata the Nest router
 * and the AuthGuard use, so a new route shows up here without anyone listing it.
 */
export function discoverRoutes(app: INestApplication): RouteInfo[] {
  const discovery = new DiscoveryService(app.get(ModulesContainer));
  const scanner = new MetadataScanner();
  const reflector = new Reflector();
  const seen = new Set<unknown>();
  const routes: RouteInfo[] = [];
  for (const wrapper of discovery.getControllers()) {
    const type = wrapper.metatype as (new (...a: never[]) => unknown) | undefined;
    if (!type || seen.has(type)) continue;
    seen.add(type);
    const classPaths = asArray(Reflect.getMetadata(PATH_METADATA, type)) as string[];
    const guards = asArray(Reflect.getMetadata(GUARDS_METADATA, type));
    const filters = asArray(Reflect.getMetadata(EXCEPTION_FILTERS_METADATA, type));
    const proto = type.prototype as Record<string, (...a: unknown[]) => unknown>;
    for (const methodName of scanner.getAllMethodNames(proto)) {
      const handler = proto[methodName];
      const handlerPaths = Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined;
      if (handlerPaths === undefined) continue;
      const verb = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod;
      const rule = reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_KEY, [handler, type]);
      const countyOpen =
        reflector.getAllAndOverride<boolean | undefined>(COUNTY_OPEN_KEY, [handler, type]) === true;
      const handlerGuards = asArray(Reflect.getMetadata(GUARDS_METADATA, handler));
      const handlerFilters = asArray(Reflect.getMetadata(EXCEPTION_FILTERS_METADATA, handler));
      for (const classPath of classPaths.length ? classPaths : ['']) {
        for (const handlerPath of asArray(handlerPaths) as string[]) {
          routes.push({
            method: RequestMethod[verb],
            path: joinPath(classPath, handlerPath),
            name: `${type.name}.${methodName}`,
            rule,
            console:
              [...filters, ...handlerFilters].includes(ConsoleExceptionFilter) &&
              !handlerFilters.includes(ScriptJsonExceptionFilter),
            csrf: [...guards, ...handlerGuards].includes(CsrfGuard),
            countyOpen,
          });
        }
      }
    }
  }
  return routes.sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
}

interface ExpressLayer {
  route?: { path: string | string[]; methods: Record<string, boolean> };
}

/** `METHOD /path` of every route registered on the Express app itself (Nest's and anyone else's). */
export function expressRoutes(app: INestApplication): string[] {
  const express = app.getHttpAdapter().getInstance() as { router: { stack: ExpressLayer[] } };
  const out: string[] = [];
  for (const layer of express.router.stack) {
    if (!layer.route) continue;
    for (const path of asArray(layer.route.path) as string[])
      for (const [method, on] of Object.entries(layer.route.methods))
        if (on && method !== '_all') out.push(`${method.toUpperCase()} ${path}`);
  }
  return out;
}
