import { DataSource } from 'typeorm';
import { RegionOutOfScopeError, RegionScope } from './region-scope';
import { regionScoped } from './scoped-queries';

describe('RegionScope', () => {
  it('follows the principal', () => {
    const admin = RegionScope.of({ kind: 'user', subject: 'a', roles: ['admin'], regions: 'all' });
    expect(admin.all).toBe(true);
    expect(admin.toSetting()).toBe('*');
    expect(admin.includes('ZAP')).toBe(true);

    const operator = RegionScope.of({
      kind: 'user',
      subject: 'o',
      roles: ['operator'],
      regions: ['AST', 'ALA', 'ALA'],
    });
    expect(operator.regions).toEqual(['ALA', 'AST']);
    expect(operator.toSetting()).toBe('ALA,AST');
    expect(operator.includes('ALA')).toBe(true);
    expect(operator.includes('SHY')).toBe(false);
    expect(operator.includes(null)).toBe(false);
    expect(() => operator.assertIncludes('SHY')).toThrow(RegionOutOfScopeError);
  });

  it('sees nothing with no regions', () => {
    const none = RegionScope.only([]);
    expect(none.toSetting()).toBe('');
    expect(none.includes('ALA')).toBe(false);
  });

  it('refuses codes that could smuggle another region into the setting', () => {
    for (const bad of ['ALA,AST', '*', 'ala', '', "ALA'--"])
      expect(() => RegionScope.only([bad])).toThrow(RangeError);
  });
});

describe('regionScoped', () => {
  // Query builders render SQL without a connection.
  const dataSource = new DataSource({ type: 'postgres' });
  const qb = () => dataSource.createQueryBuilder().select('c.id').from('cameras', 'c');

  it('adds a region filter on <alias>.region_code', () => {
    const q = regionScoped(qb().where('c.status = :s', { s: 'online' }), RegionScope.only(['ALA', 'AST']));
    const [sql, parameters] = q.getQueryAndParameters();
    expect(sql).toMatch(/WHERE c\.status = \$1 AND c\.region_code = ANY\(CAST\(\$2 AS text\[\]\)\)/);
    expect(parameters).toEqual(['online', ['ALA', 'AST']]);
  });

  it('takes another column, adds nothing for every region, matches nothing for none', () => {
    expect(regionScoped(qb(), RegionScope.only(['ALA']), 'c.owner_region').getQuery()).toMatch(
      /c\.owner_region = ANY/,
    );
    expect(regionScoped(qb(), RegionScope.allRegions()).getQuery()).not.toMatch(/WHERE/);
    expect(regionScoped(qb(), RegionScope.only([])).getQuery()).toMatch(/WHERE 1 = 0/);
  });

  it('refuses something that is not a column or not a scope', () => {
    expect(() => regionScoped(qb(), RegionScope.only(['ALA']), 'region_code OR true')).toThrow(RangeError);
    expect(() => regionScoped(qb(), { all: true, regions: [] } as unknown as RegionScope)).toThrow(TypeError);
  });
});
