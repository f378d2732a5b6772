import { describe, expect, it } from 'vitest';
import { checkSettings, formOf, serverFieldErrors } from './vendors-settings.ts';

const form = { country: 'de', currency: 'eur', lead_time_days: '14', moq: '', email: ' buy@acme.example ' };

describe('vendor settings form', () => {
  it('turns valid text into the values the API takes', () => {
    expect(checkSettings(form)).toEqual({
      values: { country: 'DE', currency: 'EUR', lead_time_days: 14, moq: null, email: 'buy@acme.example' },
      errors: {},
    });
    expect(checkSettings({ ...form, country: 'uk', lead_time_days: '', moq: '0' }).values).toMatchObject({
      country: 'GB',
      lead_time_days: null,
      moq: 0,
    });
  });

  it('marks every bad field with a reason', () => {
    const r = checkSettings({
      country: 'XX',
      currency: 'EURO',
      lead_time_days: '-3',
      moq: '1.5',
      email: 'nope',
    });
    expect(r.values).toBeUndefined();
    expect(Object.keys(r.errors)).toEqual(['country', 'currency', 'lead_time_days', 'moq', 'email']);
    expect(checkSettings({ ...form, lead_time_days: '366' }).errors.lead_time_days).toMatch(/0 to 365/);
    expect(checkSettings({ ...form, country: 'EU' }).errors.country).toBeDefined();
  });

  it('maps the API refusal to fields, with or without the schema slash', () => {
    expect(
      serverFieldErrors([
        { field: 'lead_time_days', message: 'must be a whole number of days from 0 to 365' },
        { field: '/moq', message: 'must be integer' },
        { field: 'other', message: 'x' },
      ]),
    ).toEqual({ lead_time_days: 'must be a whole number of days from 0 to 365', moq: 'must be integer' });
    expect(serverFieldErrors(undefined)).toEqual({});
  });

  it('fills the form from a vendor', () => {
    expect(formOf({ country: 'DE', currency: 'EUR', lead_time_days: 0, moq: null, email: null })).toEqual({
      country: 'DE',
      currency: 'EUR',
      lead_time_days: '0',
      moq: '',
      email: '',
    });
  });
});
