import { FASTIFY_ROUTE_CONFIG_METADATA } from '@nestjs/platform-fastify/constants';

/**
 * A route's Fastify config (what `req.routeOptions.config` holds), added to entry by entry: Nest's
 * `@RouteConfig(x)` replaces the whole config, so two decorators that each set one (`@CachedAnswer()`,
 * `@ApiQueryResponses({ produces })`) would lose one another's; this merges, in either order.
 */
export const WithRouteConfig =
  (entries: Record<string, unknown>): MethodDecorator =>
  (_target, _key, descriptor) => {
    const handler = descriptor.value as object;
    Reflect.defineMetadata(FASTIFY_ROUTE_CONFIG_METADATA, { ...(Reflect.getMetadata(FASTIFY_ROUTE_CONFIG_METADATA, handler) ?? {}), ...entries }, handler);
  };

/** The media types a route's 200 answer can have (its config; absent: JSON only), for the Accept check (bootstrap.ts). */
export const PRODUCES = 'ledgerProduces';
