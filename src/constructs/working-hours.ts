import { AppautoscalingScheduledAction } from "@cdktf/provider-aws/lib/appautoscaling-scheduled-action";
import type { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { SchedulerSchedule } from "@cdktf/provider-aws/lib/scheduler-schedule";
import { Fn } from "cdktf";
import { Construct } from "constructs";
import { clockOf, cronAt, minuteOfDay } from "../aws/schedules";
import { asProps, type NameOf, type Problem, refuseInputs } from "../config/problem";
import { type NameContext, namePrefix, resourceName } from "../config/naming";
import type { ServiceConfig } from "../config/schema";
import { arn, type DeploymentContext } from "./context";
import { ServiceRole } from "./iam";
import type { Service } from "./service";

/**
 * The ARN pattern of an environment's working-hours schedules: EventBridge Scheduler's default
 * group, names with the environment's prefix (`names`, in `region`: the context's by default).
 */
export function workingHoursScheduleArn(context: DeploymentContext, names: NameContext = context.names, region = context.region): string {
  return arn(context, { service: "scheduler", region, resource: `schedule/default/${namePrefix(names)}*` });
}

/** The schedule's settings (service.workingHours without its switch). */
export type WorkingHoursSchedule = Omit<ServiceConfig["workingHours"], "enabled">;

/** Seconds a task needs from the scheduled start to its first health check: Fargate provisioning and the image pull. */
export const TASK_START_SECONDS = 300;

/**
 * Minutes after the start of working hours until the silenced alarms resume and autoscaling may
 * go below desiredCount again: the tasks start (TASK_START_SECONDS), pass the health check grace
 * period, and the alarms see one clean window of datapoints.
 */
export function warmUpMinutes(
  service: { readonly healthCheckGracePeriodSeconds: number },
  monitoring: { readonly evaluationPeriods: number; readonly periodSeconds: number },
): number {
  return Math.ceil((TASK_START_SECONDS + service.healthCheckGracePeriodSeconds + monitoring.evaluationPeriods * monitoring.periodSeconds) / 60);
}

/**
 * The input rule of working hours, which the settings validation reports too (as
 * service.workingHours.* and service.*): never where data is protected; a day that starts before
 * it stops and is long enough for the alarms to resume before it ends; a start that runs a task.
 * `at` names the schedule's settings, `service` the service's.
 */
export function workingHoursProblems(
  input: Pick<WorkingHoursSchedule, "start" | "stop"> & {
    readonly protectData: boolean;
    readonly desiredCount: number;
    readonly warmUpMinutes: number;
  },
  at: NameOf = asProps,
  service: NameOf = asProps,
): Problem[] {
  const problems: Problem[] = [];
  if (input.protectData) {
    problems.push({
      path: at("enabled"),
      message: `is true in an environment with protectData true: scaling to zero takes the service down every night for the students who use it. Fix: set ${at("enabled")} to false; working hours are for environments without real data (dev, sandboxes).`,
    });
  }
  const [start, stop] = [minuteOfDay(input.start), minuteOfDay(input.stop)];
  if (start !== undefined && stop !== undefined) {
    if (stop <= start) {
      problems.push({
        path: at("stop"),
        message: `"${input.stop}" is not after ${at("start")} "${input.start}", so the service would never run (start and stop fall on the same day; a day that crosses midnight is not supported). Fix: set ${at("stop")} later than ${at("start")}, e.g. "20:00".`,
      });
    } else if (stop - start <= input.warmUpMinutes + 1) {
      problems.push({
        path: at("stop"),
        message: `"${input.stop}" leaves ${stop - start} minutes after ${at("start")} "${input.start}"; the alarms resume ${input.warmUpMinutes} minutes after the start (tasks starting, the health check grace period, one alarm window) and are reset a minute later, so the day must be longer. Fix: set ${at("stop")} after "${clockOf(start + input.warmUpMinutes + 1)}".`,
      });
    }
  }
  if (input.desiredCount === 0) {
    problems.push({
      path: service("desiredCount"),
      message: `is 0, and working hours start the service at desiredCount, so it would never run a task. Fix: set ${service("desiredCount")} to 1 or more.`,
    });
  }
  return problems;
}

export interface WorkingHoursProps extends Readonly<WorkingHoursSchedule> {
  readonly context: DeploymentContext;
  /** The service whose scalable target the schedule sets. */
  readonly service: Service;
  /** The service's task counts: desiredCount at the start, minCount..maxCount once warmed up. */
  readonly taskCounts: { readonly desiredCount: number; readonly minCount: number; readonly maxCount: number };
  /** The alarms that fire while no task runs, by name; silenced outside working hours. */
  readonly alarms: Readonly<Record<string, CloudwatchMetricAlarm>>;
  /** Minutes from the start until the alarms resume (warmUpMinutes). */
  readonly warmUpMinutes: number;
  /** Whether the environment protects data; working hours are refused there. */
  readonly protectData: boolean;
  /** ARN of the customer-managed key that encrypts the schedules' payloads (the alerts topic's key). */
  readonly keyArn: string;
}

/**
 * A non-production service that runs only in working hours. Three scheduled actions on the
 * service's scalable target: at `start` its range is desiredCount..maxCount (the tasks start as a
 * deploy starts them), once warmed up minCount..maxCount (autoscaling may scale in again), at
 * `stop` 0..0 (every task stops). The alarms that would fire on zero tasks are silenced by
 * EventBridge Scheduler calling CloudWatch directly (universal targets, no function to run): their
 * actions are disabled at `stop` and enabled once warmed up; a minute later each is set to OK, so
 * that one still breaching (the service did not come back) changes state again and notifies,
 * instead of staying in the ALARM it reached overnight without a word.
 */
export class WorkingHours extends Construct {
  /** The scheduled actions by role: start, range, stop. */
  public readonly scalingActions: Readonly<Record<"start" | "range" | "stop", AppautoscalingScheduledAction>>;
  /** The schedules that silence and resume the alarms: alarms-off, alarms-on, then reset-<alarm> for each. */
  public readonly alarmSchedules: Readonly<Record<string, SchedulerSchedule>>;
  /** The role EventBridge Scheduler calls CloudWatch with: only those alarms' actions and state. */
  public readonly role: ServiceRole;

  constructor(scope: Construct, id: string, props: WorkingHoursProps) {
    super(scope, id);
    refuseInputs(this.node.path, workingHoursProblems({ ...props, desiredCount: props.taskCounts.desiredCount }));
    const names = props.context.names;
    const start = minuteOfDay(props.start) as number;
    const stop = minuteOfDay(props.stop) as number;
    const resumed = start + props.warmUpMinutes;
    const target = props.service.scalingTarget;
    // The schedule owns the range from now on, as autoscaling owns the desired count: a deploy out
    // of hours must not put the range back and wake the service until the next stop.
    target.lifecycle = { ignoreChanges: ["min_capacity", "max_capacity"] };

    const { desiredCount, minCount, maxCount } = props.taskCounts;
    const actions: [keyof WorkingHours["scalingActions"], number, number, number][] = [
      ["start", start, desiredCount, maxCount],
      ["range", resumed, minCount, maxCount],
      ["stop", stop, 0, 0],
    ];
    const scalingActions: Partial<Record<keyof WorkingHours["scalingActions"], AppautoscalingScheduledAction>> = {};
    let previous: AppautoscalingScheduledAction | undefined;
    for (const [role, minute, min, max] of actions) {
      previous = new AppautoscalingScheduledAction(this, role, {
        name: resourceName(names, `working-hours-${role}`),
        serviceNamespace: target.serviceNamespace,
        resourceId: target.resourceId,
        scalableDimension: target.scalableDimension,
        schedule: cronAt(minute, props.days),
        timezone: props.timeZone,
        scalableTargetAction: { minCapacity: String(min), maxCapacity: String(max) },
        // Application Auto Scaling refuses concurrent changes to one target: one action at a time.
        dependsOn: previous ? [previous] : [target],
      });
      scalingActions[role] = previous;
    }
    this.scalingActions = scalingActions as WorkingHours["scalingActions"];

    const alarms = Object.values(props.alarms);
    const scheduleName = (role: string) => resourceName(names, role);
    this.role = new ServiceRole(this, "role", {
      context: props.context,
      name: resourceName(names, "alarm-schedules"),
      service: "scheduler.amazonaws.com",
      sourceArn: arn(props.context, { service: "scheduler", resource: "schedule-group/default" }),
    });
    this.role.addStatements(
      {
        sid: "SilenceAlarmsWithoutTasks",
        effect: "Allow",
        actions: ["cloudwatch:DisableAlarmActions", "cloudwatch:EnableAlarmActions", "cloudwatch:SetAlarmState"],
        resources: alarms.map((a) => a.arn),
      },
      {
        sid: "DecryptSchedulePayloads",
        effect: "Allow",
        // Scheduler decrypts a schedule's payload with its role, in the schedule's encryption context.
        actions: ["kms:Decrypt"],
        resources: [props.keyArn],
        condition: [{ test: "ArnLike", variable: "kms:EncryptionContext:aws:scheduler:schedule:arn", values: [workingHoursScheduleArn(props.context)] }],
      },
    );
    const call = (role: string, minute: number, api: string, input: Record<string, unknown>, description: string) =>
      new SchedulerSchedule(this, role, {
        name: scheduleName(role),
        description,
        scheduleExpression: cronAt(minute, props.days),
        scheduleExpressionTimezone: props.timeZone,
        flexibleTimeWindow: { mode: "OFF" },
        kmsKeyArn: props.keyArn,
        target: {
          // A universal target: Scheduler calls the CloudWatch API itself (arn:<partition>:scheduler:::aws-sdk:<service>:<action>).
          arn: `arn:${props.context.partition}:scheduler:::aws-sdk:cloudwatch:${api}`,
          roleArn: this.role.arn,
          input: Fn.jsonencode(input),
        },
      });
    const alarmNames = alarms.map((a) => a.alarmName);
    this.alarmSchedules = {
      "alarms-off": call(
        "alarms-off",
        stop,
        "disableAlarmActions",
        { AlarmNames: alarmNames },
        `Silences the alarms that fire without tasks at ${props.stop} (${props.timeZone})`,
      ),
      "alarms-on": call(
        "alarms-on",
        resumed,
        "enableAlarmActions",
        { AlarmNames: alarmNames },
        `Resumes those alarms at ${clockOf(resumed)} (${props.timeZone}), once the tasks are up`,
      ),
      ...Object.fromEntries(
        Object.entries(props.alarms).map(([name, alarm]) => [
          `reset-${name}`,
          call(
            `reset-${name}`,
            resumed + 1,
            "setAlarmState",
            { AlarmName: alarm.alarmName, StateValue: "OK", StateReason: "Working hours began: re-evaluated, so a breach still there notifies" },
            `Sets ${name} to OK at ${clockOf(resumed + 1)} (${props.timeZone}): a breach left from the night notifies again`,
          ),
        ]),
      ),
    };
  }
}
