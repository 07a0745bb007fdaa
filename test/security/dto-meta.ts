import { ModulesContainer } from '@nestjs/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { getMetadataStorage } from 'class-validator';

/**
 * What the hostile-input generator needs to know about each write route's body: its DTO class and,
 * per top-level field, whether it is required (validated when absent), optional, or left to the
 * domain (`@Allow()` only), read from Nest's route metadata and class-validator's metadata.
 */
export type FieldKind = 'required' | 'optional' | 'domain';

const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'ALL', 'OPTIONS', 'HEAD'];
const BODY = 3;

const join = (...parts: (string | undefined)[]): string =>
  `/${parts
    .flatMap((p) => (p ?? '').split('/'))
    .filter(Boolean)
    .join('/')}`;

/** Route key (`POST /boards/:boardId/members`) → body DTO class. */
export const bodyClasses = (app: NestFastifyApplication): Map<string, Function> => {
  const out = new Map<string, Function>();
  for (const mod of app.get(ModulesContainer).values()) {
    for (const wrapper of mod.controllers.values()) {
      const ctrl = wrapper.metatype as Function | null;
      if (!ctrl) continue;
      const base = Reflect.getMetadata('path', ctrl) as string | string[] | undefined;
      for (const name of Object.getOwnPropertyNames(ctrl.prototype)) {
        const handler = ctrl.prototype[name];
        if (name === 'constructor' || typeof handler !== 'function') continue;
        const path = Reflect.getMetadata('path', handler) as string | string[] | undefined;
        const method = Reflect.getMetadata('method', handler) as number | undefined;
        if (path === undefined || method === undefined) continue;
        const args = (Reflect.getMetadata('__routeArguments__', ctrl, name) ?? {}) as Record<string, { index: number; data?: unknown }>;
        const body = Object.entries(args).find(([k, v]) => Number(k.split(':')[0]) === BODY && v.data === undefined);
        if (!body) continue;
        const types = Reflect.getMetadata('design:paramtypes', ctrl.prototype, name) as Function[];
        out.set(`${METHODS[method]} ${join(Array.isArray(base) ? base[0] : base, Array.isArray(path) ? path[0] : path)}`, types[body[1].index]);
      }
    }
  }
  return out;
};

/** Per top-level property of a DTO: required, optional (IsOptional/ValidateIf), or domain-validated (only @Allow). */
export const fieldKinds = (cls: Function): Record<string, FieldKind> => {
  const metas = getMetadataStorage().getTargetValidationMetadatas(cls, '', true, false);
  const byProp = new Map<string, string[]>();
  for (const m of metas) byProp.set(m.propertyName, [...(byProp.get(m.propertyName) ?? []), m.type]);
  const out: Record<string, FieldKind> = {};
  for (const [prop, types] of byProp) {
    if (types.includes('conditionalValidation')) out[prop] = 'optional';
    else if (types.every((t) => t === 'whitelistValidation')) out[prop] = 'domain';
    else out[prop] = 'required';
  }
  return out;
};
