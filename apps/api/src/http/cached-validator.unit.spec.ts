import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, IsInt, IsString, validate, ValidatorOptions } from 'class-validator';
import { VALIDATOR_OPTIONS } from '../../../../libs/application/src/validation';
import { AppModule } from '../app.module';
import { cachedValidate, classRules, VALIDATION_EXECUTOR } from './cached-validator';

// Loading the module tree decorates every DTO of the API.
void AppModule;

const PIPE_OPTIONS: ValidatorOptions = { ...VALIDATOR_OPTIONS, validationError: { target: false } };

/** Every class class-validator knows (its storage's own map: this also fails if that changes shape). */
const decoratedClasses = (): Function[] => {
  const all = (getMetadataStorage() as unknown as { validationMetadatas: Map<unknown, unknown[]> }).validationMetadatas;
  expect(all).toBeInstanceOf(Map);
  return [...all.keys()].filter((k): k is Function => typeof k === 'function');
};

const prng = (seed: number) => () => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed / 0x7fffffff;
};

const SAMPLES: unknown[] = [
  'abc', '', 'a'.repeat(600), '2013-01-01', '2013-13-45', 'tm-2013.c1', 'x.reversal', 'kc-1', '1250000.00', 'centre', 'party', 'premises', 'course-fees',
  2013, 0, -1, 1.5, true, null, {}, [], [1], { from: '2013-01-01', to: null }, { from: 5 }, [{ kind: 'centre' }], { kind: 'party', partyId: 'p-1' }, { kind: 'x', extra: 1 },
];

describe('cachedValidate', () => {
  it('finds class-validator\'s executor where it expects it (fails if the library changes shape)', () => {
    expect(VALIDATION_EXECUTOR).not.toBeNull();
  });

  it('answers exactly as class-validator\'s validate() for every DTO of the API, on random bodies', async () => {
    const classes = decoratedClasses();
    expect(classes.length).toBeGreaterThan(50);
    const rnd = prng(7);
    let compared = 0;
    let failing = 0;
    for (const cls of classes) {
      const props = [...new Set(getMetadataStorage().getTargetValidationMetadatas(cls, '', true, false).map((m) => m.propertyName))];
      for (let k = 0; k < 6; k++) {
        const body: Record<string, unknown> = {};
        for (const p of props) if (rnd() < 0.8) body[p] = SAMPLES[Math.floor(rnd() * SAMPLES.length)];
        if (rnd() < 0.2) body.unexpected = 'x';
        for (const options of [PIPE_OPTIONS, VALIDATOR_OPTIONS, undefined]) {
          const a = plainToInstance(cls as new () => object, structuredClone(body));
          const b = plainToInstance(cls as new () => object, structuredClone(body));
          const expected = await validate(a, options);
          const actual = await cachedValidate(b, options);
          expect(actual).toEqual(expected);
          expect(JSON.stringify(actual)).toBe(JSON.stringify(expected));
          expect(b).toEqual(a); // whitelist without forbidNonWhitelisted strips the same properties
          compared++;
          if (expected.length) failing++;
        }
      }
    }
    expect(compared).toBeGreaterThan(1500);
    expect(failing).toBeGreaterThan(500);
  });

  it('sees a rule added to a class after the class was first validated', async () => {
    class Late {
      @IsString() a!: string;
    }
    const input = (): Late => Object.assign(new Late(), { a: 'x', b: 'not a number' });
    expect((await cachedValidate(input(), { whitelist: true, forbidNonWhitelisted: true })).map((e) => e.property)).toEqual(['b']);
    IsInt()(Late.prototype, 'b');
    const expected = await validate(input(), { whitelist: true, forbidNonWhitelisted: true });
    expect(expected.map((e) => Object.keys(e.constraints ?? {}))).toEqual([['isInt']]);
    expect(await cachedValidate(input(), { whitelist: true, forbidNonWhitelisted: true })).toEqual(expected);
  });

  it('remembers the rules of a class: the same array until a class is decorated again', () => {
    class Remembered {
      @IsString() a!: string;
    }
    const first = classRules(Remembered, true, false);
    expect(classRules(Remembered, true, false)).toBe(first);
    expect(first.map((m) => m.propertyName)).toEqual(['a']);
    class Another {
      @IsString() b!: string;
    }
    void Another;
    const again = classRules(Remembered, true, false);
    expect(again).not.toBe(first);
    expect(again).toEqual(first);
  });
});
