import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { validationFailed, FieldProblem } from '../../../../libs/application/src/validation';
import { classRules } from '../http/cached-validator';

/**
 * Defence in depth behind the validation pipe (hardening, issue 6): class-validator's
 * `@ValidateNested()` lets an absent value through, and lets arrays through where objects are
 * expected, so a DTO that forgets `@IsDefined()` would hand `undefined` to the command and answer
 * 500. This pipe applies one rule to every body, recursively: a nested property that is not marked
 * optional must be present and be an object, and the items of a nested array must be objects.
 */
@Injectable()
export class NestedObjectsPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type !== 'body' || !metadata.metatype || value === null || typeof value !== 'object') return value;
    const problems = nestedProblems(value as Record<string, unknown>, metadata.metatype, '');
    if (problems.length) throw validationFailed(problems);
    return value;
  }
}

const MAX_DEPTH = 8;

interface NestedProp {
  name: string;
  each: boolean;
  optional: boolean;
}
/** The nested properties of a class, worked out once per rule list (rules are looked up once per class). */
const NESTED = new WeakMap<readonly object[], NestedProp[]>();
const nestedPropsOf = (cls: Function): NestedProp[] => {
  const metas = classRules(cls, true, false);
  let nested = NESTED.get(metas);
  if (nested) return nested;
  const props = new Map<string, { nested: boolean; each: boolean; optional: boolean }>();
  for (const m of metas) {
    const p = props.get(m.propertyName) ?? { nested: false, each: false, optional: false };
    if (m.type === 'nestedValidation') {
      p.nested = true;
      p.each = p.each || !!m.each;
    }
    if (m.type === 'conditionalValidation') p.optional = true;
    props.set(m.propertyName, p);
  }
  nested = [...props].filter(([, p]) => p.nested).map(([name, p]) => ({ name, each: p.each, optional: p.optional }));
  NESTED.set(metas, nested);
  return nested;
};

export const nestedProblems = (value: Record<string, unknown>, cls: Function, prefix: string, depth = 0): FieldProblem[] => {
  if (depth > MAX_DEPTH) return [];
  const props = nestedPropsOf(cls);
  if (!props.length) return [];
  const problems: FieldProblem[] = [];
  for (const p of props) {
    const name = p.name;
    const field = prefix ? `${prefix}.${name}` : name;
    const v = value[name];
    if (v === undefined || v === null) {
      if (!p.optional) problems.push({ field, problems: [`${field} is required`] });
      continue;
    }
    if (p.each && !Array.isArray(v)) {
      problems.push({ field, problems: [`${field} must be a list of objects`] });
      continue;
    }
    const items = Array.isArray(v) ? v : [v];
    items.forEach((item, i) => {
      const at = Array.isArray(v) ? `${field}.${i}` : field;
      if (item === null || typeof item !== 'object' || Array.isArray(item)) {
        problems.push({ field: at, problems: [`${at} must be an object`] });
        return;
      }
      const nestedCls = (item as object).constructor;
      if (nestedCls && nestedCls !== Object) problems.push(...nestedProblems(item as Record<string, unknown>, nestedCls, at, depth + 1));
    });
  }
  return problems;
};
