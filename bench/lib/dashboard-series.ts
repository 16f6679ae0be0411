// The metric series (name, statistic) a dashboard refresh asks the simulator for, as the benches replay it.
export const DASHBOARD_SERIES: Array<[string, string]> = [
  ['AsyncEventsReceived', 'Sum'],
  ['AsyncEventAge', 'Maximum'],
  ['AsyncEventAge', 'Average'],
  ['AsyncEventsDropped', 'Sum'],
  ['Invocations', 'Sum'],
  ['Errors', 'Sum'],
  ['Throttles', 'Sum'],
  ['Duration', 'p99'],
  ['Duration', 'Average'],
  ['Duration', 'Maximum'],
  ['ConcurrentExecutions', 'Maximum'],
  ['DeadLetterErrors', 'Sum'],
  ['DestinationDeliveryFailures', 'Sum'],
  ['UnreservedConcurrentExecutions', 'Maximum'],
];
