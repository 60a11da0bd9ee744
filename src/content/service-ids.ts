// The stable service ids: other files, tools and the finder rely on them.
import { z } from 'zod';

export const SERVICE_IDS = [
  'meals', 'clothing', 'shelter', 'hygiene_kit', 'social_services', 'transport_home', 'primary_care',
  'sexual_reproductive_health', 'mental_health', 'nutrition', 'chronic_disease', 'vaccines',
  'disability_care', 'referrals', 'family_contact', 'legal_aid', 'migration_id',
] as const;
export const ServiceId = z.enum(SERVICE_IDS, { error: (issue) => `"${String(issue.input)}" is not a service id; use one of: ${SERVICE_IDS.join(', ')}` });
export type ServiceId = z.infer<typeof ServiceId>;
