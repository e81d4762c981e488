/**
 * Working hours (service.workingHours): the WorkingHours construct alone in a bare stack, with a
 * service, its ALB and the monitoring's alarms; the settings that refuse a schedule; and which
 * presets keep one (the committed dev and the sandbox do, prod never).
 */
import { Monitoring } from "../src/constructs/monitoring";
import { WorkingHours, type WorkingHoursProps } from "../src/constructs/working-hours";
import { isTimeZone, parseCronAt, parseDays } from "../src/aws/schedules";
import type { DeploymentSettings } from "../src/validation";
import { bareService, bareStack } from "./bare-stack";
import { ARN, configOf, policyDocument, problemsOf, resource, resourcesOf, synthEnvironment, type TerraformJson } from "./helpers";

/** A service of 3 tasks (2..6) in a bare stack, working 08:00-20:00 on weekdays in London; `props` replace those. */
function workingHours(props: Partial<WorkingHoursProps> = {}): TerraformJson {
  const bare = bareStack("test");
  const { loadBalancer, service } = bareService(bare);
  const monitoring = new Monitoring(bare.stack, "monitoring", {
    periodSeconds: 60,
    evaluationPeriods: 3,
    http5xxPerPeriod: 10,
    targetResponseSeconds: 2,
    highRiskPredictionsPerPeriod: 20,
    loadBalancer,
    metricNamespace: "TestNamespace",
    alerts: bare.alerts,
    service,
    context: bare.context,
  });
  new WorkingHours(bare.stack, "working-hours", {
    timeZone: "Europe/London",
    start: "08:00",
    stop: "20:00",
    days: "MON-FRI",
    context: bare.context,
    service,
    taskCounts: { desiredCount: 3, minCount: 2, maxCount: 6 },
    alarms: monitoring.alarmsWithoutTasks,
    warmUpMinutes: 10,
    protectData: false,
    keyArn: bare.alerts.key.arn,
    ...props,
  });
  return bare.synth();
}

describe("WorkingHours", () => {
  const json = workingHours();
  const action = (role: string) => resource(json, "aws_appautoscaling_scheduled_action", `working_hours_${role}`);
  const schedule = (role: string) => resource(json, "aws_scheduler_schedule", `working_hours_${role}`);

  test("GIVEN 08:00-20:00 on weekdays WHEN built THEN the service starts at desiredCount, returns to its range once warmed up, and stops at 0..0, in the schedule's time zone", () => {
    expect(["start", "range", "stop"].map((role) => [action(role).schedule, action(role).timezone, action(role).scalable_target_action])).toEqual([
      ["cron(0 8 ? * MON-FRI *)", "Europe/London", { min_capacity: "3", max_capacity: "6" }],
      ["cron(10 8 ? * MON-FRI *)", "Europe/London", { min_capacity: "2", max_capacity: "6" }],
      ["cron(0 20 ? * MON-FRI *)", "Europe/London", { min_capacity: "0", max_capacity: "0" }],
    ]);
  });

  test("the scheduled actions set the service's own scalable target, one after another (Application Auto Scaling refuses concurrent changes to a target)", () => {
    for (const role of ["start", "range", "stop"]) {
      expect(action(role)).toMatchObject({
        resource_id: "${aws_appautoscaling_target.app_scaling_target.resource_id}",
        scalable_dimension: "${aws_appautoscaling_target.app_scaling_target.scalable_dimension}",
        service_namespace: "${aws_appautoscaling_target.app_scaling_target.service_namespace}",
      });
    }
    expect([action("start").depends_on, action("range").depends_on, action("stop").depends_on]).toEqual([
      ["aws_appautoscaling_target.app_scaling_target"],
      ["aws_appautoscaling_scheduled_action.working_hours_start"],
      ["aws_appautoscaling_scheduled_action.working_hours_range"],
    ]);
  });

  test("the schedule owns the target's range: a deploy out of hours does not put it back and wake the service", () => {
    expect(resource(json, "aws_appautoscaling_target", "app_scaling_target").lifecycle).toEqual({ ignore_changes: ["min_capacity", "max_capacity"] });
  });

  test("GIVEN the alarms that fire without tasks THEN their actions are disabled at the stop, enabled once warmed up, and each is set to OK a minute later", () => {
    const names = "[aws_cloudwatch_metric_alarm.monitoring_unhealthy_targets.alarm_name, aws_cloudwatch_metric_alarm.monitoring_elb_5xx.alarm_name]";
    expect(schedule("alarms_off")).toMatchObject({
      schedule_expression: "cron(0 20 ? * MON-FRI *)",
      kms_key_arn: "${aws_kms_key.alerts_key.arn}",
      schedule_expression_timezone: "Europe/London",
      flexible_time_window: { mode: "OFF" },
      target: { arn: `${ARN}:scheduler:::aws-sdk:cloudwatch:disableAlarmActions`, input: `\${jsonencode({"AlarmNames" = ${names}})}` },
    });
    expect(schedule("alarms_on")).toMatchObject({
      schedule_expression: "cron(10 8 ? * MON-FRI *)",
      target: { arn: `${ARN}:scheduler:::aws-sdk:cloudwatch:enableAlarmActions`, input: `\${jsonencode({"AlarmNames" = ${names}})}` },
    });
    for (const alarm of ["unhealthy_targets", "elb_5xx"]) {
      expect(schedule(`reset_${alarm}`)).toMatchObject({
        schedule_expression: "cron(11 8 ? * MON-FRI *)",
        target: { arn: `${ARN}:scheduler:::aws-sdk:cloudwatch:setAlarmState` },
      });
      expect(schedule(`reset_${alarm}`).target.input).toContain(
        `"AlarmName" = aws_cloudwatch_metric_alarm.monitoring_${alarm}.alarm_name, "StateValue" = "OK"`,
      );
    }
    expect(Object.keys(resourcesOf(json, "aws_scheduler_schedule")).sort()).toEqual(
      ["alarms_off", "alarms_on", "reset_elb_5xx", "reset_unhealthy_targets"].map((r) => `working_hours_${r}`),
    );
  });

  test("the alarms that stay armed at night are those that do not fire without tasks: target 5XX, response time, high-risk spike", () => {
    const silenced = JSON.stringify(resourcesOf(json, "aws_scheduler_schedule"));
    for (const armed of ["target_5xx", "response_time", "high_risk_spike"]) expect(silenced).not.toContain(`monitoring_${armed}`);
  });

  test("every schedule's payload is encrypted with the alerts topic's customer-managed key", () => {
    for (const found of Object.values(resourcesOf(json, "aws_scheduler_schedule"))) expect(found.kms_key_arn).toBe("${aws_kms_key.alerts_key.arn}");
  });

  test("the schedules' role: EventBridge Scheduler of this account may assume it, and it may only switch and reset those two alarms and decrypt its own schedules' payloads", () => {
    expect(policyDocument(json, "working_hours_role_permissions").statement).toEqual([
      {
        sid: "SilenceAlarmsWithoutTasks",
        effect: "Allow",
        actions: ["cloudwatch:DisableAlarmActions", "cloudwatch:EnableAlarmActions", "cloudwatch:SetAlarmState"],
        resources: ["${aws_cloudwatch_metric_alarm.monitoring_unhealthy_targets.arn}", "${aws_cloudwatch_metric_alarm.monitoring_elb_5xx.arn}"],
      },
      {
        sid: "DecryptSchedulePayloads",
        effect: "Allow",
        actions: ["kms:Decrypt"],
        resources: ["${aws_kms_key.alerts_key.arn}"],
        condition: [
          {
            test: "ArnLike",
            variable: "kms:EncryptionContext:aws:scheduler:schedule:arn",
            values: [`${ARN}:scheduler:us-east-1:123456789012:schedule/default/smh-dashboard-test-*`],
          },
        ],
      },
    ]);
    const [trust] = policyDocument(json, "working_hours_role_trust").statement;
    expect(trust.principals).toEqual([{ type: "Service", identifiers: ["scheduler.amazonaws.com"] }]);
    expect(trust.condition).toEqual([
      { test: "StringEquals", variable: "aws:SourceAccount", values: ["123456789012"] },
      { test: "ArnLike", variable: "aws:SourceArn", values: [`${ARN}:scheduler:us-east-1:123456789012:schedule-group/default`] },
    ]);
  });

  test.each([
    ["protected data", { protectData: true }, /enabled is true in an environment with protectData true/],
    ["a stop before the start", { start: "20:00", stop: "08:00" }, /stop "08:00" is not after start "20:00", so the service would never run/],
    [
      "a day shorter than the warm-up",
      { start: "08:00", stop: "08:10" },
      /stop "08:10" leaves 10 minutes after start "08:00"; the alarms resume 10 minutes after the start/,
    ],
    [
      "no task at the start",
      { taskCounts: { desiredCount: 0, minCount: 0, maxCount: 6 } },
      /desiredCount is 0, and working hours start the service at desiredCount/,
    ],
  ])("GIVEN %s WHEN built THEN the construct refuses it", (_name, props, message) => {
    expect(() => workingHours(props as Partial<WorkingHoursProps>)).toThrow(message);
  });
});

describe("the schedule's settings", () => {
  test("GIVEN days as AWS cron writes them THEN they are read in cron's order; a backwards range or an unknown day is refused with the fix", () => {
    expect(parseDays("MON-FRI")).toEqual({ days: ["MON", "TUE", "WED", "THU", "FRI"] });
    expect(parseDays("SAT,SUN")).toEqual({ days: ["SUN", "SAT"] });
    expect(parseDays("FRI-MON")).toMatchObject({ fix: 'list the days instead, e.g. "FRI,SAT,SUN,MON"' });
    expect(parseDays("Mon-Fri")).toMatchObject({ problem: expect.stringContaining('names "Mon-Fri", which is not a day') });
    expect(parseDays("MON,MON-WED")).toMatchObject({ problem: "names MON twice" });
  });

  test("GIVEN a cron expression the construct writes THEN the estimate reads its time and days back", () => {
    expect(parseCronAt("cron(12 8 ? * MON-FRI *)")).toEqual({ minute: 8 * 60 + 12, days: ["MON", "TUE", "WED", "THU", "FRI"] });
    expect(parseCronAt("rate(1 hour)")).toBeUndefined();
  });

  test("time zones are IANA names; an abbreviation, an offset or a misspelling is not", () => {
    expect(["Europe/London", "America/New_York", "UTC"].map(isTimeZone)).toEqual([true, true, true]);
    expect(["EST5", "+01:00", "Europe/Lndon", "GMT+1 "].map(isTimeZone)).toEqual([false, false, false, false]);
  });

  test.each([
    [
      "working hours where data is protected",
      { environments: { prod: { service: { workingHours: { enabled: true } } } } },
      'environment "prod": service.workingHours.enabled is true in an environment with protectData true: scaling to zero takes the service down every night for the students who use it. Fix: set service.workingHours.enabled to false; working hours are for environments without real data (dev, sandboxes).',
    ],
    [
      "a stop before the start",
      { environments: { dev: { service: { workingHours: { start: "18:00", stop: "09:00" } } } } },
      'environment "dev": service.workingHours.stop "09:00" is not after service.workingHours.start "18:00", so the service would never run (start and stop fall on the same day; a day that crosses midnight is not supported). Fix: set service.workingHours.stop later than service.workingHours.start, e.g. "20:00".',
    ],
    [
      "a start equal to the stop",
      { environments: { dev: { service: { workingHours: { start: "09:00", stop: "09:00" } } } } },
      'environment "dev": service.workingHours.stop "09:00" is not after service.workingHours.start "09:00", so the service would never run (start and stop fall on the same day; a day that crosses midnight is not supported). Fix: set service.workingHours.stop later than service.workingHours.start, e.g. "20:00".',
    ],
    [
      "a day too short for the alarms to resume",
      { environments: { dev: { service: { workingHours: { start: "09:00", stop: "09:10" } } } } },
      'environment "dev": service.workingHours.stop "09:10" leaves 10 minutes after service.workingHours.start "09:00"; the alarms resume 12 minutes after the start (tasks starting, the health check grace period, one alarm window) and are reset a minute later, so the day must be longer. Fix: set service.workingHours.stop after "09:13".',
    ],
    [
      "a schedule that starts no task",
      { environments: { dev: { service: { desiredCount: 0, minCount: 0 } } } },
      'environment "dev": service.desiredCount is 0, and working hours start the service at desiredCount, so it would never run a task. Fix: set service.desiredCount to 1 or more.',
    ],
    [
      "a time zone that is not an IANA name",
      { environments: { dev: { service: { workingHours: { timeZone: "CET+1" } } } } },
      'environment "dev": service.workingHours.timeZone is "CET+1"; it must be an IANA time zone name (Area/Location of the tz database), not an abbreviation or an offset. Fix: write e.g. "America/New_York" or "Europe/London".',
    ],
    [
      "a misspelt time zone",
      { environments: { dev: { service: { workingHours: { timeZone: "Europe/Lndon" } } } } },
      'environment "dev": service.workingHours.timeZone is "Europe/Lndon"; it must be an IANA time zone name (Area/Location of the tz database), not an abbreviation or an offset. Fix: write e.g. "America/New_York" or "Europe/London".',
    ],
    [
      "a time past 23:59",
      { environments: { dev: { service: { workingHours: { stop: "24:00" } } } } },
      'environment "dev": service.workingHours.stop is "24:00"; it must be a time of day "HH:MM" from 00:00 to 23:59, after start on the same day. Fix: write e.g. "20:00".',
    ],
    [
      "days that never come (empty)",
      { environments: { dev: { service: { workingHours: { days: "" } } } } },
      'environment "dev": service.workingHours.days is ""; it names "", which is not a day (SUN, MON, TUE, WED, THU, FRI, SAT) or a range of two of them. Fix: write days as AWS cron does, upper case, e.g. "MON-FRI" or "MON,WED,FRI".',
    ],
    [
      "a backwards range of days",
      { environments: { dev: { service: { workingHours: { days: "SAT-SUN" } } } } },
      'environment "dev": service.workingHours.days is "SAT-SUN"; it has the range "SAT-SUN", which runs backwards: cron\'s week starts on SUN, and AWS takes a range only from an earlier day to a later one. Fix: list the days instead, e.g. "SAT,SUN".',
    ],
  ])("GIVEN %s WHEN resolved THEN it is refused with the setting, the value and the fix", (_name, settings, expected) => {
    expect(problemsOf(settings as DeploymentSettings)).toContain(expected);
  });

  test("GIVEN several bad schedule settings THEN every problem is reported at once", () => {
    const problems = problemsOf({ environments: { dev: { service: { workingHours: { timeZone: "Mars/Olympus", days: "FUNDAY", stop: "25:00" } } } } });
    expect(problems.filter((p) => p.startsWith('environment "dev": service.workingHours.'))).toHaveLength(3);
  });
});

describe("which environments keep working hours", () => {
  test("the committed dev and the sandbox preset run 08:00-20:00 on weekdays in America/New_York; prod runs around the clock", () => {
    expect(configOf("dev").service.workingHours).toEqual({ enabled: true, timeZone: "America/New_York", start: "08:00", stop: "20:00", days: "MON-FRI" });
    expect(configOf("sbxalice", { environments: { sbxalice: { preset: "sandbox" } } }).service.workingHours.enabled).toBe(true);
    expect(configOf("prod").service.workingHours.enabled).toBe(false);
  });

  test("GIVEN the committed dev THEN its stack has the schedule, the alarms resume 12 minutes after the start (5 min to start, 120 s grace, 5 x 60 s window)", () => {
    const { json } = synthEnvironment("dev");
    expect(resource(json, "aws_appautoscaling_scheduled_action", "working_hours_range").schedule).toBe("cron(12 8 ? * MON-FRI *)");
    expect(resource(json, "aws_scheduler_schedule", "working_hours_alarms_on").schedule_expression).toBe("cron(12 8 ? * MON-FRI *)");
  });

  test("GIVEN the committed prod THEN it has no scheduled action and no schedule", () => {
    const { json } = synthEnvironment("prod");
    expect([resourcesOf(json, "aws_appautoscaling_scheduled_action"), resourcesOf(json, "aws_scheduler_schedule")]).toEqual([{}, {}]);
  });
});
