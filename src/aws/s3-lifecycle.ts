/**
 * What S3 accepts in a lifecycle rule's transition. Sources: Amazon S3 API Reference, Transition
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_Transition.html): Days is 0 or more for
 * INTELLIGENT_TIERING, GLACIER_IR, GLACIER and DEEP_ARCHIVE; S3 User Guide, "Transitioning objects
 * using Amazon S3 Lifecycle", constraints: objects must be stored at least 30 days in S3 before they
 * transition to STANDARD_IA or ONEZONE_IA. The Glacier classes' minimum storage durations (90,
 * 90, 180 days) are billed, not refused, so they are not rules here.
 */

/** The storage classes a transition may name, with the fewest days after creation S3 accepts. */
export const TRANSITION_MINIMUM_DAYS = {
  STANDARD_IA: 30,
  ONEZONE_IA: 30,
  INTELLIGENT_TIERING: 0,
  GLACIER_IR: 0,
  GLACIER: 0,
  DEEP_ARCHIVE: 0,
} as const;

export type TransitionStorageClass = keyof typeof TRANSITION_MINIMUM_DAYS;

/** Why S3 refuses a transition to `storageClass` after `days` (a rule, `must be ...`), or undefined when it accepts it. */
export function transitionRefusal(storageClass: TransitionStorageClass, days: number): string | undefined {
  const minimum = TRANSITION_MINIMUM_DAYS[storageClass];
  return days < minimum ? `must be at least ${minimum}: S3 moves objects to ${storageClass} only once they are ${minimum} days old` : undefined;
}
