/**
 * The settings validation's cross-field rules, by concern; a rule that a construct also enforces
 * is the construct's exported input rule (src/constructs), named here with settings paths.
 */
import { deployRolePlace } from "./accounts";
import { cacheNamesValid, cacheVersionSupported, protectedCacheEncrypted } from "./cache";
import {
  auroraCapacityRange,
  auroraNamesValid,
  auroraVersionExists,
  backupClearOfMaintenance,
  databaseStorageCeiling,
  globalDatabaseNeedsDrSubnets,
  hasAurora,
  hasGlobalDatabase,
  hasInstance,
  keepsInstanceBesideAurora,
  majorUpgradePath,
  migrationKeepsMajor,
  multiAzNeedsInstance,
  protectedDataKeepsBackups,
  servingNeedsAurora,
  writeForwardingSupported,
} from "./database";
import { drStandbyCanServe, drStandbyHasReplica } from "./dr";
import { drNetwork, primaryNetwork } from "./network";
import { regionsShareAPartition, stateRegionDiffers } from "./regions";
import {
  anonymousRateLimitIsTighter,
  albCertificatePlace,
  cloudfrontCertificate,
  cloudfrontNeedsStaticBucket,
  desiredCountWithinScaling,
  fargateCpuMemory,
  httpsNeedsCertificate,
  acceptedUnencryptedPaths,
  internetHttpAccepted,
  protectedDataEncryptedInTransit,
  publicTasksUnprotectedWithoutNat,
  scalingThresholdsOrdered,
  spotRunsATask,
  workingHoursRunTheService,
} from "./serving";
import { bucketNamesValid, logsExpireAfterTransition, logsTransitionAccepted, protectedDataIsNotForceDestroyed } from "./storage";
import type { Rule } from "./rule";

/** Every cross-field rule, in the order problems are reported. */
export const RULES: readonly Rule[] = [
  stateRegionDiffers,
  regionsShareAPartition,
  deployRolePlace,
  protectedDataEncryptedInTransit,
  internetHttpAccepted,
  primaryNetwork,
  desiredCountWithinScaling,
  spotRunsATask,
  workingHoursRunTheService,
  publicTasksUnprotectedWithoutNat,
  fargateCpuMemory,
  httpsNeedsCertificate,
  albCertificatePlace,
  bucketNamesValid,
  protectedDataIsNotForceDestroyed,
  logsTransitionAccepted,
  logsExpireAfterTransition,
  scalingThresholdsOrdered,
  databaseStorageCeiling,
  backupClearOfMaintenance,
  protectedDataKeepsBackups,
  multiAzNeedsInstance,
  majorUpgradePath,
  cloudfrontNeedsStaticBucket,
  anonymousRateLimitIsTighter,
  cloudfrontCertificate,
  drNetwork,
  drStandbyHasReplica,
  drStandbyCanServe,
  auroraVersionExists,
  migrationKeepsMajor,
  auroraCapacityRange,
  auroraNamesValid,
  globalDatabaseNeedsDrSubnets,
  writeForwardingSupported,
  servingNeedsAurora,
  protectedCacheEncrypted,
  cacheVersionSupported,
  cacheNamesValid,
];

export { hasAurora, hasGlobalDatabase, hasInstance, keepsInstanceBesideAurora, acceptedUnencryptedPaths };
export type { Problem } from "../../config/problem";
export type { Rule } from "./rule";
