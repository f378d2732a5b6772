import { describe, expect, it } from 'vitest';
import { AppError, invalidField } from '../platform/errors.ts';
import { cliMessage } from './output.ts';

describe('cliMessage', () => {
  it('names a field error by the flag that gave the value', () => {
    const e = invalidField(
      'currency',
      'euro!',
      'iso_4217',
      'must be a 3-letter ISO code such as EUR (got "euro!")',
    );
    expect(e.message).toBe('currency must be a 3-letter ISO code such as EUR (got "euro!")');
    expect(cliMessage(e)).toBe('--currency must be a 3-letter ISO code such as EUR (got "euro!")');
    expect(cliMessage(invalidField('skip_invalid', 'x', 'boolean', 'must be true or false'))).toBe(
      '--skip-invalid must be true or false',
    );
  });

  it('leaves other errors as they are', () => {
    expect(cliMessage(new AppError('invalid', 'list.csv has a header but no data rows'))).toBe(
      'list.csv has a header but no data rows',
    );
    // details that are not a field problem, or a message that does not start with the field
    expect(cliMessage(new AppError('invalid', 'bad', { field: 'currency' }))).toBe('bad');
    expect(cliMessage(new AppError('invalid', 'the currency is odd', { field: 'currency', rule: 'x' }))).toBe(
      'the currency is odd',
    );
  });
});
