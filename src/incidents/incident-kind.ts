import { registerEnumType } from '@nestjs/graphql';

/** Vigil's controlled vocabulary of acts. See docs/vocabularies.md for how each maps to the
 * HURIDOCS Events Standard Formats and to ACLED, kept in INCIDENT_KIND_MAPPINGS below. */
export enum IncidentKind {
  DETENTION = 'DETENTION',
  ABDUCTION = 'ABDUCTION',
  ENFORCED_DISAPPEARANCE = 'ENFORCED_DISAPPEARANCE',
  TORTURE_OR_ILL_TREATMENT = 'TORTURE_OR_ILL_TREATMENT',
  SEXUAL_VIOLENCE = 'SEXUAL_VIOLENCE',
  KILLING = 'KILLING',
  THREAT_OR_HARASSMENT = 'THREAT_OR_HARASSMENT',
  OTHER = 'OTHER',
}

registerEnumType(IncidentKind, { name: 'IncidentKind', description: 'The kind of act, from a controlled vocabulary.' });

export interface KindMapping {
  /** HURIDOCS ESF Micro-thesaurus 4 ("Types of Acts") term. */
  huridocsEsf: string;
  /** ACLED event type / sub-event type that such an act is usually coded as. */
  acled: string;
}

export const INCIDENT_KIND_MAPPINGS: Record<IncidentKind, KindMapping> = {
  DETENTION: { huridocsEsf: 'Arbitrary arrest and detention', acled: 'Violence against civilians / Abduction/forced disappearance' },
  ABDUCTION: { huridocsEsf: 'Abduction', acled: 'Violence against civilians / Abduction/forced disappearance' },
  ENFORCED_DISAPPEARANCE: { huridocsEsf: 'Enforced disappearance', acled: 'Violence against civilians / Abduction/forced disappearance' },
  TORTURE_OR_ILL_TREATMENT: { huridocsEsf: 'Torture; Cruel, inhuman or degrading treatment', acled: 'Violence against civilians / Attack' },
  SEXUAL_VIOLENCE: { huridocsEsf: 'Sexual violence', acled: 'Violence against civilians / Sexual violence' },
  KILLING: { huridocsEsf: 'Killing (extrajudicial execution)', acled: 'Violence against civilians / Attack' },
  THREAT_OR_HARASSMENT: { huridocsEsf: 'Threats; Harassment', acled: 'Strategic developments / Other' },
  OTHER: { huridocsEsf: 'Other', acled: 'Strategic developments / Other' },
};
