import { MARKET_CODES, marketOf } from './markets';

describe('markets (ENT-1)', () => {
  it('contracts se with the Swedish company, no with the Norwegian, gb with the UK company', () => {
    expect(marketOf('se').entity).toBe('ticketry_se');
    expect(marketOf('no').entity).toBe('ticketry_no');
    expect(marketOf('gb').entity).toBe('ticketry_uk');
  });

  it('contracts every other market with the Danish company', () => {
    const others = MARKET_CODES.filter((code) => !['se', 'no', 'gb'].includes(code));
    expect(others.length).toBeGreaterThan(10);
    for (const code of others) expect(marketOf(code).entity).toBe('ticketry_dk');
  });

  it('refuses an unknown market', () => {
    expect(() => marketOf('xx')).toThrow(/unknown market/);
  });
});
