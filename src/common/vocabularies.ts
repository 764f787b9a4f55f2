import { registerEnumType } from '@nestjs/graphql';

export enum VerificationStatus {
  REPORTED = 'REPORTED',
  CORROBORATED = 'CORROBORATED',
  VERIFIED = 'VERIFIED',
  DISPUTED = 'DISPUTED',
  RETRACTED = 'RETRACTED',
}
registerEnumType(VerificationStatus, {
  name: 'VerificationStatus',
  description:
    'REPORTED: one source says so; CORROBORATED: independent sources agree; VERIFIED: confirmed by the team; ' +
    'DISPUTED: sources conflict; RETRACTED: withdrawn by its source.',
});

export enum LocationPrecision {
  EXACT = 'EXACT',
  VICINITY = 'VICINITY',
  LOCALITY = 'LOCALITY',
  REGION = 'REGION',
}
registerEnumType(LocationPrecision, { name: 'LocationPrecision', description: 'How exactly the place is known.' });
