import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Secrets the service makes for itself, kept in the database so every process of one deployment
 * shares them without configuration (the cursor key: src/common/cursor.ts). Not part of the API. */
@Entity()
export class ServiceSecret {
  @PrimaryColumn({ type: 'text' })
  name!: string;

  @Column({ type: 'bytea' })
  value!: Buffer;
}
