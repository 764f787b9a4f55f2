import { DataSource } from 'typeorm';
import { AccessLevel } from '../../src/access/access-level';
import { Incident } from '../../src/incidents/incident.entity';
import { Involvement, InvolvementRole } from '../../src/people/involvement.entity';
import { Person } from '../../src/people/person.entity';

/** Values no test would produce by chance: if one shows up in a response, log or error where it
 * should not, it leaked. */
export const SECRET = {
  fullName: 'Zelimkhan Secretname-7c1f',
  otherNames: 'Zelim-alias-7c1f',
  occupation: 'teacher-7c1f',
  contact: '+7 928 000 7c1f',
  notes: 'met in safe house 7c1f',
  involvementDescription: 'held in cellar 7c1f',
  internalNotes: 'source asked to stay anonymous 7c1f',
  latitude: 43.317123,
  longitude: 45.694321,
};

export interface AccessFixture {
  incidentId: string;
  personId: string;
  involvementId: string;
  responseId: string;
  situationId: string;
  citationId: string;
}

/** On the demo data: the incident that is cited, in a situation and answered by a response gets
 * exact coordinates and internal notes, and a public person with every protected field filled is
 * involved in it. Every protected field then has a value to leak on every path. */
export async function buildAccessFixture(dataSource: DataSource): Promise<AccessFixture> {
  const [row] = await dataSource.query(`
    SELECT i.id AS incident_id, i.situation_id, ri.response_id, c.id AS citation_id
      FROM incident i
      JOIN response_incident ri ON ri.incident_id = i.id
      JOIN citation c ON c.incident_id = i.id
     WHERE i.situation_id IS NOT NULL AND i.confidentiality = 'PUBLIC'
     ORDER BY i.date_start, ri.response_id, c.id LIMIT 1`);
  if (!row) throw new Error('The demo data has no cited incident in a situation with a response');
  await dataSource.getRepository(Incident).update(row.incident_id, {
    latitude: SECRET.latitude,
    longitude: SECRET.longitude,
    internalNotes: SECRET.internalNotes,
  });
  const person = await dataSource.getRepository(Person).save(
    dataSource.getRepository(Person).create({
      pseudonym: 'Victim A',
      fullName: SECRET.fullName,
      otherNames: SECRET.otherNames,
      occupation: SECRET.occupation,
      contact: SECRET.contact,
      notes: SECRET.notes,
      gender: 'man',
      birthYear: 1990,
      confidentiality: AccessLevel.PUBLIC,
    }),
  );
  const involvement = await dataSource.getRepository(Involvement).save(
    dataSource.getRepository(Involvement).create({
      incidentId: row.incident_id,
      personId: person.id,
      role: InvolvementRole.VICTIM,
      description: SECRET.involvementDescription,
    }),
  );
  return {
    incidentId: row.incident_id,
    personId: person.id,
    involvementId: involvement.id,
    responseId: row.response_id,
    situationId: row.situation_id,
    citationId: row.citation_id,
  };
}
