import { getMetadataStorage, validate, ValidationError, ValidatorOptions, Validator } from 'class-validator';
import type { MetadataStorage } from 'class-validator/types/metadata/MetadataStorage';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';

/*
 * class-validator's `validate()` as it is, with one thing kept between calls: the rules of a class.
 *
 * On every call (and for every nested object) class-validator's executor asks its metadata storage
 * for the rules of the object's class, and the storage answers by testing every decorated class of
 * the program with `instanceof` and filtering their rules: ~5 % of the server's time under a load
 * of POSTs (issue 7). The rules of a class do not change once its module is loaded, so this module
 * runs class-validator's own executor (the same validation, the same errors and messages) against
 * a view of the same storage that remembers each class's answer.
 *
 * This reaches into class-validator's internals (its executor class and the executor's
 * `metadataStorage` property; the package has no "exports" map, so the deep require is allowed).
 * `cached-validator.unit.spec.ts` fails if either changes shape, and compares this function's
 * answers with `validate()`'s for every DTO of the API. When they cannot be used, `validate()` is used.
 */

interface Executor {
  metadataStorage: MetadataStorage;
  awaitingPromises: Promise<unknown>[];
  execute(object: object, targetSchema: string | undefined, errors: ValidationError[]): void;
  stripEmptyErrors(errors: ValidationError[]): ValidationError[];
}
type ExecutorClass = new (validator: unknown, options?: ValidatorOptions) => Executor;

const loadExecutor = (): ExecutorClass | null => {
  try {
    const mod = require('class-validator/cjs/validation/ValidationExecutor') as { ValidationExecutor?: unknown };
    const cls = mod.ValidationExecutor as ExecutorClass | undefined;
    if (typeof cls !== 'function') return null;
    const probe = new cls(new Validator(), {});
    const p = cls.prototype as Partial<Executor>;
    if (probe.metadataStorage !== getMetadataStorage() || !Array.isArray(probe.awaitingPromises) || typeof p.execute !== 'function' || typeof p.stripEmptyErrors !== 'function') return null;
    return cls;
  } catch {
    return null;
  }
};

/** class-validator's executor class, or null when it is not where (or what) this module expects. */
export const VALIDATION_EXECUTOR: ExecutorClass | null = loadExecutor();

type Lookup = (target: Function, schema: string | undefined, always: boolean, strictGroups: boolean, groups?: string[]) => ValidationMetadata[];

/**
 * A view of class-validator's storage (everything else read through to it) whose rule lookup is
 * remembered per class and option set. Only lookups without groups or schema are remembered.
 * The answer for a class is recomputed when a class was decorated since (a count of the storage's
 * classes and rules is kept), so a class defined later (a test's DTO) is never answered stale.
 */
const cachingView = (storage: MetadataStorage): MetadataStorage => {
  const original = storage.getTargetValidationMetadatas.bind(storage) as Lookup;
  const grouped = new WeakMap<ValidationMetadata[], Record<string, ValidationMetadata[]>>();
  const remembered = new Map<string, WeakMap<Function, ValidationMetadata[]>>();
  const all = (storage as unknown as { validationMetadatas?: unknown }).validationMetadatas;
  const generation = (): number => {
    if (!(all instanceof Map)) return -1;
    let n = all.size;
    for (const list of all.values()) n += (list as unknown[]).length;
    return n;
  };
  let seen = generation();
  const lookup: Lookup = (target, schema, always, strictGroups, groups) => {
    if (schema !== undefined || (groups && groups.length) || typeof target !== 'function' || seen < 0) return original(target, schema, always, strictGroups, groups);
    const now = generation();
    if (now !== seen) {
      remembered.clear();
      seen = now;
    }
    const key = `${always ? 1 : 0}${strictGroups ? 1 : 0}`;
    let byClass = remembered.get(key);
    if (!byClass) remembered.set(key, (byClass = new WeakMap()));
    let metas = byClass.get(target);
    if (!metas) {
      metas = Object.freeze(original(target, schema, always, strictGroups, groups)) as ValidationMetadata[];
      byClass.set(target, metas);
    }
    return metas;
  };
  const groupByPropertyName = (metas: ValidationMetadata[]): Record<string, ValidationMetadata[]> => {
    if (!Object.isFrozen(metas)) return storage.groupByPropertyName(metas);
    let g = grouped.get(metas);
    if (!g) {
      const fresh = storage.groupByPropertyName(metas);
      for (const k of Object.keys(fresh)) Object.freeze(fresh[k]);
      g = Object.freeze(fresh);
      grouped.set(metas, g);
    }
    return g;
  };
  return Object.create(storage, {
    getTargetValidationMetadatas: { value: lookup },
    groupByPropertyName: { value: groupByPropertyName },
  }) as MetadataStorage;
};

const VALIDATOR = new Validator();

let view: { storage: MetadataStorage; cached: MetadataStorage } | null = null;
const cachedStorage = (): MetadataStorage => {
  const storage = getMetadataStorage();
  if (!view || view.storage !== storage) view = { storage, cached: cachingView(storage) };
  return view.cached;
};

/**
 * The same as class-validator's `validate(object, options)` (decorated classes only, no schema
 * names), with each class's rules looked up once.
 */
export const cachedValidate = async (object: object, options?: ValidatorOptions): Promise<ValidationError[]> => {
  if (!VALIDATION_EXECUTOR) return validate(object, options);
  const executor = new VALIDATION_EXECUTOR(VALIDATOR, options);
  executor.metadataStorage = cachedStorage();
  const errors: ValidationError[] = [];
  executor.execute(object, undefined, errors);
  if (executor.awaitingPromises.length) await Promise.all(executor.awaitingPromises);
  return executor.stripEmptyErrors(errors);
};

/**
 * The rules of a class as class-validator's `getTargetValidationMetadatas(cls, undefined, always,
 * strictGroups)` answers them, remembered (the same frozen array until a class is decorated again).
 */
export const classRules = (cls: Function, always: boolean, strictGroups: boolean): readonly ValidationMetadata[] =>
  (VALIDATION_EXECUTOR ? cachedStorage() : getMetadataStorage()).getTargetValidationMetadatas(cls, undefined as unknown as string, always, strictGroups);
