/* The compiled row mapping (src/database/entity-rows.ts) must read exactly the entities TypeORM's
 * own hydration reads, for every entity, with its many-to-one relations joined, on the demo data
 * and on a generated set that has every precision, count shape and null. */
import { DataSource, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { insertEntity, PreparedRead, readEntities, shapeOf } from '../src/database/entity-rows';
import { RECORD_CLASSES } from '../src/editing/record-type';
import { generateData } from '../src/generate/generator';
import { TestApp, startTestApp } from './support/test-app';

let t: TestApp;
let dataSource: DataSource;

beforeAll(async () => {
  t = await startTestApp();
  dataSource = t.dataSource;
});
afterAll(() => t?.close());

function everyRowOf(entity: string, joins: boolean): SelectQueryBuilder<ObjectLiteral> {
  const metadata = dataSource.getMetadata(entity);
  const qb = dataSource.getRepository(metadata.target).createQueryBuilder('r').withDeleted();
  if (joins) metadata.manyToOneRelations.forEach((relation, i) => qb.leftJoinAndSelect(`r.${relation.propertyName}`, `j${i}`));
  return qb.orderBy(`r.${metadata.primaryColumns[0].propertyName}`);
}

const entities = () => dataSource.entityMetadatas.map((m) => m.name).sort();

describe('reading entities by the compiled mapping', () => {
  it('knows the entities it is tested on', () => {
    expect(entities()).toEqual(expect.arrayContaining(['Incident', 'Citation', 'Source', 'AdvocacyResponse', 'ResponseIncident', 'Person', 'Involvement']));
  });

  it.each([false, true])('reads what TypeORM reads, for every entity (relations joined: %s)', async (joins) => {
    let compared = 0;
    for (const entity of entities()) {
      const expected = await everyRowOf(entity, joins).getMany();
      const { entities: actual } = await readEntities(everyRowOf(entity, joins));
      // toStrictEqual also compares classes, undefined properties and Date objects.
      expect({ entity, rows: actual }).toStrictEqual({ entity, rows: expected });
      compared += expected.length;
    }
    expect(compared).toBeGreaterThan(100);
  });

  it('reads a joined relation that matched nothing as null, as TypeORM does', async () => {
    const qb = () =>
      dataSource.getRepository('Citation').createQueryBuilder('c').leftJoinAndSelect('c.source', 's', 'false').orderBy('c.id');
    const { entities: actual } = await readEntities(qb());
    expect(actual.length).toBeGreaterThan(0);
    expect(actual.every((c) => c.source === null)).toBe(true);
    expect(actual).toStrictEqual(await qb().getMany());
  });

  it('returns the raw rows beside the entities, extra selections included', async () => {
    const { entities: actual, raw } = await readEntities(
      dataSource.getRepository('Incident').createQueryBuilder('i').addSelect('upper(i.headline)', 'shout').orderBy('i.id'),
    );
    expect(raw).toHaveLength(actual.length);
    raw.forEach((row, n) => expect(row.shout).toBe(String(actual[n].headline).toUpperCase()));
  });

  it('reads a partial selection as TypeORM does, and fails closed on a column it did not read', async () => {
    const qb = () =>
      dataSource.getRepository('Citation').createQueryBuilder('c').select(['c.id', 'c.excerpt']).leftJoin('c.source', 's').addSelect(['s.id', 's.title']).orderBy('c.id');
    const { entities: actual } = await readEntities(qb());
    const expected = await qb().getMany();
    expect(actual.length).toBeGreaterThan(0);
    expect(actual.map((c) => ({ ...c, source: { ...c.source } }))).toEqual(expected.map((c) => ({ ...c, source: { ...c.source } })));
    expect(Object.keys(actual[0]).sort()).toEqual(['excerpt', 'id', 'source']);
    expect(actual[0]).toBeInstanceOf(dataSource.getMetadata('Citation').target as Function);
    // TypeORM leaves what it did not read undefined; the compiled mapping throws.
    expect(expected[0].sourceId).toBeUndefined();
    expect(() => actual[0].sourceId).toThrow('Citation.sourceId was not read');
    expect(() => actual[0].source.publisher).toThrow('Source.publisher was not read');
    expect(() => actual[0].source.published).toThrow('Source.published was not read');
  });

  it('remembers a statement per shape: other values bound into it, another shape its own', async () => {
    const ids: string[] = (await dataSource.query('SELECT id FROM incident ORDER BY id LIMIT 4')).map((r: { id: string }) => r.id);
    const build = (given: string[], options: { without?: string; columns?: boolean; first?: number } = {}) => {
      const qb = dataSource.getRepository('Incident').createQueryBuilder('i').where('i.id IN (:...ids)', { ids: given });
      if (options.without) qb.andWhere('i.id <> :without', { without: options.without });
      if (options.columns) qb.select(['i.id', 'i.headline']);
      return qb.orderBy('i.id').limit(options.first ?? 10);
    };
    const cases = [
      build(ids.slice(0, 1)),
      build(ids.slice(0, 3)), // the same shape, a longer array spread into it
      build(ids, { without: ids[1] }), // another condition
      build(ids, { without: ids[2] }),
      build(ids, { columns: true }), // other columns
      build(ids, { first: 2 }), // another limit
    ];
    expect(new Set(cases.map((qb) => shapeOf(qb))).size).toBe(4);
    for (const qb of cases) {
      const { entities: actual } = await readEntities(qb.clone());
      expect(actual.map((i) => ({ ...i }))).toEqual((await qb.getMany()).map((i) => ({ ...i })));
    }
    expect((await readEntities(build(ids, { without: ids[1] }))).entities.map((i) => i.id)).toEqual([ids[0], ids[2], ids[3]]);
    expect((await readEntities(build(ids, { first: 2 }))).entities.map((i) => i.id)).toEqual(ids.slice(0, 2));
    // What has no shape is compiled each time: a builder holding another builder (a sub-query).
    const sub = dataSource.getRepository('Incident').createQueryBuilder('i');
    expect(shapeOf(sub.subQuery().select('1').from('incident', 'x'))).toBeNull();
  });

  it('runs a prepared statement again with other values, and inside the transaction of its builder', async () => {
    const ids = (await dataSource.query('SELECT id FROM incident ORDER BY id LIMIT 3')).map((r: { id: string }) => r.id);
    const prepared = new PreparedRead(dataSource.getRepository('Incident').createQueryBuilder('i').where('i.id = ANY(:ids)', { ids: ids.slice(0, 1) }).orderBy('i.id'));
    expect((await prepared.run()).entities.map((i) => i.id)).toEqual(ids.slice(0, 1));
    expect((await prepared.run([ids])).entities.map((i) => i.id)).toEqual(ids);

    await dataSource.transaction(async (manager) => {
      await manager.query('UPDATE incident SET headline = $1 WHERE id = $2', ['changed inside the transaction', ids[0]]);
      const inside = await readEntities(manager.getRepository('Incident').createQueryBuilder('i').where('i.id = :id', { id: ids[0] }));
      expect(inside.entities[0].headline).toBe('changed inside the transaction');
      throw Object.assign(new Error('roll back'), { rollback: true });
    }).catch((e) => {
      if (!e.rollback) throw e;
    });
    const after = await readEntities(dataSource.getRepository('Incident').createQueryBuilder('i').where('i.id = :id', { id: ids[0] }));
    expect(after.entities[0].headline).not.toBe('changed inside the transaction');
  });
});

describe('on generated data (every precision, count shape and null)', () => {
  let generated: TestApp;
  beforeAll(async () => {
    generated = await startTestApp({ demo: false });
    await generateData(generated.dataSource, { incidents: 300, seed: 7 });
  });
  afterAll(() => generated?.close());

  it.each(['Incident', 'Citation', 'AdvocacyResponse', 'Person', 'Involvement', 'Situation', 'Source'])('%s', async (entity) => {
    const previous = dataSource;
    dataSource = generated.dataSource;
    try {
      const expected = await everyRowOf(entity, true).getMany();
      expect(expected.length).toBeGreaterThan(0);
      expect((await readEntities(everyRowOf(entity, true))).entities).toStrictEqual(expected);
    } finally {
      dataSource = previous;
    }
  });

  describe('inserting a record', () => {
    it.each(Object.values(RECORD_CLASSES).map((c) => [c.name, c]))('returns a %s as a read of it gives it', async (_, entity) => {
      await generated.dataSource
        .transaction(async (manager) => {
          const [existing] = await manager.getRepository(entity).find({ take: 1, order: { id: 'ASC' }, withDeleted: true });
          expect(existing).toBeDefined();
          // A copy under a new id, deleted (so that no uniqueness rule of live records applies).
          const { id, createdAt, updatedAt, version, ...values } = existing;
          void [id, createdAt, updatedAt, version];
          const inserted = await insertEntity(manager, entity, { ...values, deletedAt: new Date('2020-01-02T03:04:05.678Z') });
          expect(inserted.id).not.toBe(existing.id);
          expect(inserted.version).toBe(1);
          const read = await manager.getRepository(entity).findOne({ where: { id: inserted.id }, withDeleted: true });
          expect(inserted).toStrictEqual(read);
          throw Object.assign(new Error('roll back'), { rollback: true });
        })
        .catch((e) => {
          if (!e.rollback) throw e;
        });
    });
  });
});
