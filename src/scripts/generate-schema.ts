import { writeFileSync } from 'node:fs';
import { buildSchemaSdl } from './schema-sdl';

buildSchemaSdl()
  .then((sdl) => {
    writeFileSync('schema.gql', sdl);
    console.log('Wrote schema.gql');
  })
  .catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
