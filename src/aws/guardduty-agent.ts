/**
 * Where GuardDuty keeps the security agent it adds to ECS Fargate tasks when runtime monitoring
 * manages the agent (ECS_FARGATE_AGENT_MANAGEMENT): a repository of this name in an account
 * GuardDuty owns, one per region. The task execution role pulls it, as it pulls the app's image
 * (GuardDuty's prerequisite), or GuardDuty cannot run its agent in the tasks.
 *
 * Sources: https://docs.aws.amazon.com/guardduty/latest/ug/ecs-runtime-agent-ecr-image-uri.html
 * (commercial regions) and
 * https://docs.aws.amazon.com/govcloud-us/latest/UserGuide/govcloud-guardduty.html (GovCloud).
 * Every region of src/aws/regions.ts has a row (a test ties them); null where AWS documents no
 * repository, which the settings refuse while GuardDuty manages the agent.
 */

/** The repository of GuardDuty's Fargate agent, the same name in every region. */
export const GUARDDUTY_FARGATE_AGENT_REPOSITORY = "aws-guardduty-agent-fargate";

/** The account that holds the agent's repository in each region, or null where AWS documents none. */
export const GUARDDUTY_FARGATE_AGENT_ACCOUNTS: Readonly<Record<string, string | null>> = {
  "us-east-1": "593207742271",
  "us-east-2": "307168627858",
  "us-west-1": "684579721401",
  "us-west-2": "733349766148",
  "af-south-1": "197869348890",
  "ap-east-1": "258348409381",
  "ap-east-2": "259886477082",
  "ap-south-1": "251508486986",
  "ap-south-2": "950823858135",
  "ap-southeast-1": "174946120834",
  "ap-southeast-2": "005257825471",
  "ap-southeast-3": "510637619217",
  "ap-southeast-4": "251357961535",
  "ap-southeast-5": "156041399949",
  "ap-southeast-6": null,
  "ap-southeast-7": "054037130133",
  "ap-northeast-1": "533107202818",
  "ap-northeast-2": "914738172881",
  "ap-northeast-3": "273192626886",
  "ca-central-1": "354763396469",
  "ca-west-1": "339712888787",
  "eu-central-1": "323658145986",
  "eu-central-2": "529164026651",
  "eu-west-1": "694911143906",
  "eu-west-2": "892757235363",
  "eu-west-3": "665651866788",
  "eu-south-1": "266869475730",
  "eu-south-2": "919611009337",
  "eu-north-1": "591436053604",
  "il-central-1": "870907303882",
  "me-south-1": "536382113932",
  "me-central-1": "000014521398",
  "mx-central-1": "311141559934",
  "sa-east-1": "758426053663",
  "us-gov-west-1": "383110348953",
  "us-gov-east-1": "383115532789",
  "cn-north-1": null,
  "cn-northwest-1": null,
};

/** The account of GuardDuty's Fargate agent repository in `region`, or undefined where AWS documents none. */
export function guardDutyAgentAccount(region: string): string | undefined {
  return GUARDDUTY_FARGATE_AGENT_ACCOUNTS[region] ?? undefined;
}
