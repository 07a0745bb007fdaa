import 'reflect-metadata';
import { ArgumentMetadata, ValidationPipe } from '@nestjs/common';
import { plainToInstance, Transform, Type } from 'class-transformer';
import { getMetadataStorage, IsInt, IsOptional, IsString, ValidateNested } from 'class-validator';
import { flattenValidationErrors, validationFailed, VALIDATOR_OPTIONS } from '../../../../libs/application/src/validation';
import { AppModule } from '../app.module';
import { flatInstance, hasNoTransformerMetadata, isFlatPlainObject, TRANSFORMER_METADATA } from './flat-body';
import { LEDGER_PIPE_OPTIONS, LedgerValidationPipe, ledgerValidationPipe } from './validation.pipe';

// Loading the module tree decorates every DTO of the API.
void AppModule;

class Period {
  @IsString() from!: string;
}
class WithNested {
  @IsString() name!: string;
  @IsOptional() @ValidateNested() @Type(() => Period) period?: Period;
}
class WithTransform {
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value)) @IsString() name!: string;
}
class Plain {
  @IsString() name!: string;
  @IsInt() year!: number;
  get shout(): string {
    return this.name.toUpperCase();
  }
  describe(): string {
    return this.name;
  }
}
void Period;

/** Every class class-validator knows: the DTOs of the API and the ones above. */
const dtoClasses = (): (new () => object)[] => {
  const all = (getMetadataStorage() as unknown as { validationMetadatas: Map<unknown, unknown[]> }).validationMetadatas;
  return [...all.keys()].filter((k): k is new () => object => typeof k === 'function');
};

const prng = (seed: number) => () => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed / 0x7fffffff;
};

const FLAT: unknown[] = ['abc', '', ' padded ', 'a'.repeat(600), '2013-01-01', '2013-13-45', 'tm-2013.c1', 'x.reversal', '1250000.00', 'centre', 'party', 'premises', 2013, 0, -1, 1.5, true, false, null];
const NESTED: unknown[] = [{}, [], [1], { from: '2013-01-01', to: null }, { from: 5 }, [{ kind: 'centre' }], { kind: 'party', partyId: 'p-1' }];
const ODD_KEYS = ['unexpected', 'toString', 'valueOf', 'hasOwnProperty', 'shout', 'describe', 'prototype', 'constructor', '__proto__'];

const nest = new ValidationPipe({ ...VALIDATOR_OPTIONS, transform: true, transformOptions: { enableImplicitConversion: false }, exceptionFactory: (errors) => validationFailed(flattenValidationErrors(errors)) });
// The fast path against Nest's pipe with the global pipe's options (the global pipe adds one rule: see its own test below).
const ours = new LedgerValidationPipe(LEDGER_PIPE_OPTIONS);
// The same pair with an exception factory that shows class-validator's errors as they are (values, targets, children).
const raw = { ...VALIDATOR_OPTIONS, transform: true, transformOptions: { enableImplicitConversion: false }, exceptionFactory: (errors: unknown[]) => Object.assign(new Error('invalid'), { errors }) };
const nestRaw = new ValidationPipe(raw);
const oursRaw = new LedgerValidationPipe(raw);

const outcome = async (pipe: ValidationPipe, value: unknown, m: ArgumentMetadata) => {
  try {
    const ok = await pipe.transform(value, m);
    return { ok, ctor: (ok as object | null)?.constructor?.name, json: JSON.stringify(ok), keys: ok && typeof ok === 'object' ? Object.keys(ok) : null };
  } catch (e) {
    return { error: JSON.stringify(e), message: (e as Error).message, name: (e as Error).name };
  }
};

/** A body as JSON.parse gives it (so `__proto__` is an own key, as Fastify's parser would refuse or strip it). */
const parsed = (body: Record<string, unknown>): Record<string, unknown> => JSON.parse(JSON.stringify(body)) as Record<string, unknown>;

describe('flat bodies', () => {
  it('finds class-transformer\'s metadata maps where it expects them (fails if the library changes shape)', () => {
    expect(TRANSFORMER_METADATA).not.toBeNull();
    expect(hasNoTransformerMetadata(Plain)).toBe(true);
    expect(hasNoTransformerMetadata(WithNested)).toBe(false);
    expect(hasNoTransformerMetadata(WithTransform)).toBe(false);
    class Child extends WithTransform {}
    expect(hasNoTransformerMetadata(Child)).toBe(false);
  });

  it('tells flat plain objects from the rest', () => {
    expect(isFlatPlainObject({ a: 'x', b: 1, c: null, d: true })).toBe(true);
    expect(isFlatPlainObject({})).toBe(true);
    expect(isFlatPlainObject({ a: {} })).toBe(false);
    expect(isFlatPlainObject({ a: [] })).toBe(false);
    expect(isFlatPlainObject({ a: undefined })).toBe(false);
    expect(isFlatPlainObject([])).toBe(false);
    expect(isFlatPlainObject(null)).toBe(false);
    expect(isFlatPlainObject('x')).toBe(false);
    expect(isFlatPlainObject(new Plain())).toBe(false);
    expect(isFlatPlainObject(JSON.parse('{"__proto__": "x"}'))).toBe(false);
    expect(isFlatPlainObject({ constructor: 'x' })).toBe(false);
    expect(isFlatPlainObject({ prototype: 'x' })).toBe(false);
  });

  it('builds what plainToInstance builds, for every DTO without class-transformer decorators', () => {
    const rnd = prng(11);
    let compared = 0;
    for (const cls of dtoClasses().filter(hasNoTransformerMetadata)) {
      const props = [...new Set(getMetadataStorage().getTargetValidationMetadatas(cls, '', true, false).map((m) => m.propertyName))];
      for (let k = 0; k < 10; k++) {
        const body: Record<string, unknown> = {};
        for (const p of props) if (rnd() < 0.8) body[p] = FLAT[Math.floor(rnd() * FLAT.length)];
        if (rnd() < 0.5) body[ODD_KEYS[Math.floor(rnd() * 6)]] = 'x';
        const expected = plainToInstance(cls, { ...body }, { enableImplicitConversion: false });
        const actual = flatInstance(cls, { ...body } as Record<string, string>);
        expect(actual.constructor).toBe(cls);
        expect(Object.keys(actual)).toEqual(Object.keys(expected));
        expect(actual).toEqual(expected);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(500);
  });
});

describe('LedgerValidationPipe', () => {
  it('answers as Nest\'s ValidationPipe with our options, for every DTO of the API, on random bodies', async () => {
    const rnd = prng(3);
    let compared = 0;
    let refused = 0;
    for (const cls of dtoClasses()) {
      const props = [...new Set(getMetadataStorage().getTargetValidationMetadatas(cls, '', true, false).map((m) => m.propertyName))];
      const meta: ArgumentMetadata = { type: 'body', metatype: cls, data: undefined };
      for (let k = 0; k < 8; k++) {
        const body: Record<string, unknown> = {};
        const nested = rnd() < 0.25;
        for (const p of props) if (rnd() < 0.85) body[p] = nested && rnd() < 0.3 ? NESTED[Math.floor(rnd() * NESTED.length)] : FLAT[Math.floor(rnd() * FLAT.length)];
        if (rnd() < 0.3) body[ODD_KEYS[Math.floor(rnd() * ODD_KEYS.length)]] = 'x';
        const expected = await outcome(nest, parsed(body), meta);
        const actual = await outcome(ours, parsed(body), meta);
        expect(actual).toEqual(expected);
        expect(await outcome(oursRaw, parsed(body), meta)).toEqual(await outcome(nestRaw, parsed(body), meta));
        compared++;
        if ('error' in expected) refused++;
      }
    }
    expect(compared).toBeGreaterThan(500);
    expect(refused).toBeGreaterThan(200);
    expect(compared - refused).toBeGreaterThan(20);
  });

  it.each([
    [Plain, { name: 'a', year: 2013 }],
    [Plain, { name: 'a', year: '2013' }],
    [Plain, { name: 1 }],
    [Plain, { name: 'a', year: 2013, extra: true }],
    [Plain, { name: 'a', year: 2013, toString: 'x', shout: 'y', describe: 'z' }],
    [Plain, {}],
    [Plain, undefined],
    [Plain, null],
    [Plain, 'text'],
    [Plain, [{ name: 'a', year: 1 }]],
    [WithNested, { name: 'a', period: { from: '2013-01-01' } }],
    [WithNested, { name: 'a', period: { from: 1 } }],
    [WithTransform, { name: '  a  ' }],
  ])('answers as Nest\'s ValidationPipe with our options: %p %j', async (cls, value) => {
    const meta: ArgumentMetadata = { type: 'body', metatype: cls, data: undefined };
    const expected = await outcome(nest, structuredClone(value), meta);
    const actual = await outcome(ours, structuredClone(value), meta);
    expect(actual).toEqual(expected);
  });

  it('returns an instance of the DTO with the body\'s values (a flat body)', async () => {
    const out = await ours.transform({ name: 'a', year: 2013 }, { type: 'body', metatype: Plain, data: undefined });
    expect(out).toBeInstanceOf(Plain);
    expect({ ...(out as object) }).toEqual({ name: 'a', year: 2013 });
  });

  it('refuses an unknown field of a flat body with VALIDATION.UNKNOWN_FIELD', async () => {
    await expect(ours.transform({ name: 'a', year: 2013, extra: 1 }, { type: 'body', metatype: Plain, data: undefined })).rejects.toMatchObject({ code: 'VALIDATION.UNKNOWN_FIELD', message: 'The request is not valid. extra: extra is not a field of this request: leave it out' });
  });

  it('leaves route parameters and queries as Nest does', async () => {
    for (const m of [{ type: 'param', metatype: String, data: 'centreId' }, { type: 'query', metatype: Object, data: 'year' }, { type: 'query', metatype: Plain, data: undefined }] as ArgumentMetadata[]) {
      for (const v of ['kc-1', undefined, { name: 'a', year: 2 }, Object.assign(Object.create(null), { name: 'a', year: '2' })]) {
        expect(await outcome(ours, v, m)).toEqual(await outcome(nest, v, m));
      }
    }
  });

  it('the global pipe refuses, as unknown, a field Nest\'s pipe drops on the way to the DTO (named like an object\'s member, the DTO\'s methods and getters, at any depth), and answers as Nest\'s pipe otherwise', async () => {
    const global = ledgerValidationPipe();
    const body = { type: 'body', metatype: Plain, data: undefined } as ArgumentMetadata;
    for (const key of ['toString', 'valueOf', 'hasOwnProperty', 'shout', 'describe', 'prototype', 'constructor']) {
      // Nest's pipe drops it and accepts the body; the global pipe refuses it, naming it.
      expect(await outcome(nest, { name: 'a', year: 2013, [key]: 'x' }, body)).toMatchObject({ ok: { name: 'a', year: 2013 } });
      await expect(global.transform({ name: 'a', year: 2013, [key]: 'x' }, body)).rejects.toMatchObject({ code: 'VALIDATION.UNKNOWN_FIELD', details: { fields: [{ field: key }] } });
    }
    const nested = { type: 'body', metatype: WithNested, data: undefined } as ArgumentMetadata;
    expect(await outcome(nest, { name: 'a', period: { from: '2013-01-01', toString: 'x' } }, nested)).toMatchObject({ json: '{"name":"a","period":{"from":"2013-01-01"}}' });
    await expect(global.transform({ name: 'a', period: { from: '2013-01-01', toString: 'x' } }, nested)).rejects.toMatchObject({ code: 'VALIDATION.UNKNOWN_FIELD', details: { fields: [{ field: 'period.toString' }] } });
    await expect(global.transform({ name: 'a', period: [{ from: '2013-01-01', valueOf: 1 }] }, nested)).rejects.toMatchObject({ code: 'VALIDATION.UNKNOWN_FIELD', details: { fields: [{ field: 'period.0.valueOf' }] } });
    for (const v of [{ name: 'a', year: 2013 }, { name: 'a', year: 2013, extra: 1 }, { name: 5 }]) expect(await outcome(global, v, body)).toEqual(await outcome(nest, v, body));
    expect(await outcome(global, { name: 'a', period: { from: '2013-01-01' } }, nested)).toEqual(await outcome(nest, { name: 'a', period: { from: '2013-01-01' } }, nested));
  });
});
