import { ModulesContainer } from '@nestjs/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { getMetadataStorage } from 'class-validator';
import { MULTILINE, PLAIN_TEXT_RULE } from '../../libs/application/src/plain-text';

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

/** class-transformer's @Type() target of a property (a nested DTO), if any. */
const nestedType = (cls: Function, property: string): unknown =>
  (require('class-transformer/cjs/storage') as { defaultMetadataStorage: { findTypeMetadata(t: Function, p: string): { typeFunction: () => unknown } | undefined } }).defaultMetadataStorage
    .findTypeMetadata(cls, property)
    ?.typeFunction();

/** A text field of a DTO, nested ones included: its path (`content.goals`, `overrides.0.reason`) and what the plain-text rule on it allows. */
export interface TextField {
  /** The path as validation errors name it (an array's element as `.0`). */
  field: string;
  /** Steps to build a body holding a value there: a name, or 0 for an array's first element. */
  steps: (string | 0)[];
  /** none: no @IsPlainText rule; one-line: IsPlainText; multiline: IsPlainMultilineText. */
  plain: 'none' | 'one-line' | 'multiline';
}

/**
 * Every property a DTO checks with @IsString (for an array of strings, `each`), following nested
 * DTOs (@ValidateNested with @Type), with the plain-text rule it carries (plain-text.ts).
 */
export const textFields = (cls: Function, prefix: (string | 0)[] = [], seen: Function[] = []): TextField[] => {
  if (seen.includes(cls)) return [];
  const metas = getMetadataStorage().getTargetValidationMetadatas(cls, '', true, false);
  const out: TextField[] = [];
  for (const prop of [...new Set(metas.map((m) => m.propertyName))]) {
    const rules = metas.filter((m) => m.propertyName === prop);
    const isString = rules.find((m) => m.name === 'isString');
    if (isString) {
      const plainRule = rules.find((m) => m.name === PLAIN_TEXT_RULE);
      const steps = [...prefix, prop, ...(isString.each ? [0 as const] : [])];
      out.push({ field: steps.join('.').replace(/\.0$/, ''), steps, plain: !plainRule ? 'none' : (plainRule.constraints ?? []).includes(MULTILINE) ? 'multiline' : 'one-line' });
    }
    const nested = rules.find((m) => m.type === 'nestedValidation');
    const type = nested ? nestedType(cls, prop) : undefined;
    if (nested && typeof type === 'function') out.push(...textFields(type, [...prefix, prop, ...(nested.each ? [0 as const] : [])], [...seen, cls]));
  }
  return out;
};
