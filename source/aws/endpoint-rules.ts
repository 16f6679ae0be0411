// The endpoint rules of the five services the lean HTTP path calls, as the pinned SDK clients carry them (each
// client's endpoint/bdd.js: a binary decision diagram over the rules' conditions), copied verbatim so that
// resolving an endpoint does not load a client module (its commands, schemas and middleware). Evaluated by the
// SDK's own decideEndpoint with the SDK's partition function, and cached as the clients cache them.
// test/unit/aws/lean-config.test.ts checks each against its client's endpointProvider across partitions,
// FIPS, dual-stack and custom endpoints: a new client version whose rules differ fails that test.
/* eslint-disable */
import {BinaryDecisionDiagram, EndpointCache, customEndpointFunctions, decideEndpoint} from '@smithy/core/endpoints';
import {awsEndpointFunctions} from '@aws-sdk/core/client';

export type RuleService = 'lambda' | 'sqs' | 'monitoring' | 'logs' | 'iam';

export interface EndpointResult {
  url: URL;
  properties?: {authSchemes?: Array<{name?: string; signingName?: string; signingRegion?: string}>} & Record<string, unknown>;
  headers?: Record<string, string[]>;
}

interface Rules {
  nodes: Int32Array;
  root: number;
  conditions: unknown[];
  results: unknown[];
}

const RULES: Record<RuleService, () => Rules> = {
  // @aws-sdk/client-lambda 3.1164.0
  lambda: () => {
    const k = "ref";
    const a = -1, b = true, c = "isSet", d = "PartitionResult", e = "booleanEquals", f = "getAttr", g = { [k]: "Endpoint" }, h = { [k]: d }, i = {}, j = [{ [k]: "Region" }];
    const _data = {
        conditions: [
            [c, [g]],
            [c, j],
            ["aws.partition", j, d],
            [e, [{ [k]: "UseFIPS" }, b]],
            [e, [{ [k]: "UseDualStack" }, b]],
            [e, [{ fn: f, argv: [h, "supportsDualStack"] }, b]],
            [e, [{ fn: f, argv: [h, "supportsFIPS"] }, b]]
        ],
        results: [
            [a],
            [a, "Invalid Configuration: FIPS and custom endpoint are not supported"],
            [a, "Invalid Configuration: Dualstack and custom endpoint are not supported"],
            [g, i],
            ["https://lambda-fips.{Region}.{PartitionResult#dualStackDnsSuffix}", i],
            [a, "FIPS and DualStack are enabled, but this partition does not support one or both"],
            ["https://lambda-fips.{Region}.{PartitionResult#dnsSuffix}", i],
            [a, "FIPS is enabled but this partition does not support FIPS"],
            ["https://lambda.{Region}.{PartitionResult#dualStackDnsSuffix}", i],
            [a, "DualStack is enabled but this partition does not support DualStack"],
            ["https://lambda.{Region}.{PartitionResult#dnsSuffix}", i],
            [a, "Invalid Configuration: Missing Region"]
        ]
    };
    const root = 2;
    const r = 100_000_000;
    const nodes = new Int32Array([
        -1, 1, -1,
        0, 12, 3,
        1, 4, r + 11,
        2, 5, r + 11,
        3, 8, 6,
        4, 7, r + 10,
        5, r + 8, r + 9,
        4, 10, 9,
        6, r + 6, r + 7,
        5, 11, r + 5,
        6, r + 4, r + 5,
        3, r + 1, 13,
        4, r + 2, r + 3,
    ]);
    return {nodes, root, conditions: _data.conditions, results: _data.results};
  },
  // @aws-sdk/client-sqs 3.1169.0
  sqs: () => {
    const k = "ref";
    const a = -1, b = true, c = "isSet", d = "PartitionResult", e = "booleanEquals", f = "getAttr", g = { [k]: "Endpoint" }, h = { [k]: d }, i = {}, j = [{ [k]: "Region" }];
    const _data = {
        conditions: [
            [c, [g]],
            [c, j],
            ["aws.partition", j, d],
            [e, [{ [k]: "UseFIPS" }, b]],
            [e, [{ [k]: "UseDualStack" }, b]],
            [e, [{ fn: f, argv: [h, "supportsDualStack"] }, b]],
            [e, [{ fn: f, argv: [h, "supportsFIPS"] }, b]],
            ["stringEquals", [{ fn: f, argv: [h, "name"] }, "aws-us-gov"]]
        ],
        results: [
            [a],
            [a, "Invalid Configuration: FIPS and custom endpoint are not supported"],
            [a, "Invalid Configuration: Dualstack and custom endpoint are not supported"],
            [g, i],
            ["https://sqs-fips.{Region}.{PartitionResult#dualStackDnsSuffix}", i],
            [a, "FIPS and DualStack are enabled, but this partition does not support one or both"],
            ["https://sqs.{Region}.amazonaws.com", i],
            ["https://sqs-fips.{Region}.{PartitionResult#dnsSuffix}", i],
            [a, "FIPS is enabled but this partition does not support FIPS"],
            ["https://sqs.{Region}.{PartitionResult#dualStackDnsSuffix}", i],
            [a, "DualStack is enabled but this partition does not support DualStack"],
            ["https://sqs.{Region}.{PartitionResult#dnsSuffix}", i],
            [a, "Invalid Configuration: Missing Region"]
        ]
    };
    const root = 2;
    const r = 100_000_000;
    const nodes = new Int32Array([
        -1, 1, -1,
        0, 13, 3,
        1, 4, r + 12,
        2, 5, r + 12,
        3, 8, 6,
        4, 7, r + 11,
        5, r + 9, r + 10,
        4, 11, 9,
        6, 10, r + 8,
        7, r + 6, r + 7,
        5, 12, r + 5,
        6, r + 4, r + 5,
        3, r + 1, 14,
        4, r + 2, r + 3,
    ]);
    return {nodes, root, conditions: _data.conditions, results: _data.results};
  },
  // @aws-sdk/client-cloudwatch 3.1164.0
  monitoring: () => {
    const k = "ref";
    const a = -1, b = true, c = "isSet", d = "PartitionResult", e = "booleanEquals", f = "getAttr", g = { [k]: "Endpoint" }, h = { [k]: d }, i = {}, j = [{ [k]: "Region" }];
    const _data = {
        conditions: [
            [c, [g]],
            [c, j],
            ["aws.partition", j, d],
            [e, [{ [k]: "UseFIPS" }, b]],
            [e, [{ [k]: "UseDualStack" }, b]],
            ["stringEquals", [{ fn: f, argv: [h, "name"] }, "aws-us-gov"]],
            [e, [{ fn: f, argv: [h, "supportsFIPS"] }, b]],
            [e, [{ fn: f, argv: [h, "supportsDualStack"] }, b]]
        ],
        results: [
            [a],
            [a, "Invalid Configuration: FIPS and custom endpoint are not supported"],
            [a, "Invalid Configuration: Dualstack and custom endpoint are not supported"],
            [g, i],
            ["https://monitoring.{Region}.{PartitionResult#dnsSuffix}", i],
            ["https://monitoring.{Region}.{PartitionResult#dualStackDnsSuffix}", i],
            ["https://monitoring-fips.{Region}.{PartitionResult#dualStackDnsSuffix}", i],
            [a, "FIPS and DualStack are enabled, but this partition does not support one or both"],
            ["https://monitoring-fips.{Region}.{PartitionResult#dnsSuffix}", i],
            [a, "FIPS is enabled but this partition does not support FIPS"],
            [a, "DualStack is enabled but this partition does not support DualStack"],
            [a, "Invalid Configuration: Missing Region"]
        ]
    };
    const root = 2;
    const r = 100_000_000;
    const nodes = new Int32Array([
        -1, 1, -1,
        0, 14, 3,
        1, 4, r + 11,
        2, 5, r + 11,
        3, 8, 6,
        4, 7, r + 4,
        7, r + 5, r + 10,
        4, 11, 9,
        5, r + 4, 10,
        6, r + 8, r + 9,
        5, r + 5, 12,
        6, 13, r + 7,
        7, r + 6, r + 7,
        3, r + 1, 15,
        4, r + 2, r + 3,
    ]);
    return {nodes, root, conditions: _data.conditions, results: _data.results};
  },
  // @aws-sdk/client-cloudwatch-logs 3.1169.0
  logs: () => {
    const m = "ref";
    const a = -1, b = true, c = "isSet", d = "PartitionResult", e = "booleanEquals", f = "getAttr", g = "stringEquals", h = { [m]: "Endpoint" }, i = { [m]: d }, j = { [m]: "Region" }, k = {}, l = [j];
    const _data = {
        conditions: [
            [c, [h]],
            [c, l],
            ["aws.partition", l, d],
            [e, [{ [m]: "UseFIPS" }, b]],
            [e, [{ [m]: "UseDualStack" }, b]],
            [e, [{ fn: f, argv: [i, "supportsDualStack"] }, b]],
            [e, [{ fn: f, argv: [i, "supportsFIPS"] }, b]],
            [g, [j, "us-gov-east-1"]],
            [g, [j, "us-gov-west-1"]]
        ],
        results: [
            [a],
            [a, "Invalid Configuration: FIPS and custom endpoint are not supported"],
            [a, "Invalid Configuration: Dualstack and custom endpoint are not supported"],
            [h, k],
            ["https://logs-fips.{Region}.{PartitionResult#dualStackDnsSuffix}", k],
            [a, "FIPS and DualStack are enabled, but this partition does not support one or both"],
            ["https://logs.us-gov-east-1.amazonaws.com", k],
            ["https://logs.us-gov-west-1.amazonaws.com", k],
            ["https://logs-fips.{Region}.{PartitionResult#dnsSuffix}", k],
            [a, "FIPS is enabled but this partition does not support FIPS"],
            ["https://logs.{Region}.{PartitionResult#dualStackDnsSuffix}", k],
            [a, "DualStack is enabled but this partition does not support DualStack"],
            ["https://logs.{Region}.{PartitionResult#dnsSuffix}", k],
            [a, "Invalid Configuration: Missing Region"]
        ]
    };
    const root = 2;
    const r = 100_000_000;
    const nodes = new Int32Array([
        -1, 1, -1,
        0, 14, 3,
        1, 4, r + 13,
        2, 5, r + 13,
        3, 8, 6,
        4, 7, r + 12,
        5, r + 10, r + 11,
        4, 12, 9,
        6, 10, r + 9,
        7, r + 6, 11,
        8, r + 7, r + 8,
        5, 13, r + 5,
        6, r + 4, r + 5,
        3, r + 1, 15,
        4, r + 2, r + 3,
    ]);
    return {nodes, root, conditions: _data.conditions, results: _data.results};
  },
  // @aws-sdk/client-iam 3.1169.0
  iam: () => {
    const v = "ref", w = "authSchemes", x = "name", y = "signingRegion";
    const a = -1, b = true, c = "isSet", d = "PartitionResult", e = "stringEquals", f = "booleanEquals", g = "getAttr", h = { [v]: "Endpoint" }, i = { "fn": g, "argv": [{ [v]: d }, "name"] }, j = { [v]: d }, k = { [w]: [{ [x]: "sigv4", [y]: "us-east-1" }] }, l = { [w]: [{ [x]: "sigv4", [y]: "cn-north-1" }] }, m = { [w]: [{ [x]: "sigv4", [y]: "us-gov-west-1" }] }, n = { [w]: [{ [x]: "sigv4", [y]: "us-iso-east-1" }] }, o = { [w]: [{ [x]: "sigv4", [y]: "us-isob-east-1" }] }, p = { [w]: [{ [x]: "sigv4", [y]: "eu-isoe-west-1" }] }, q = { [w]: [{ [x]: "sigv4", [y]: "us-isof-south-1" }] }, s = { [w]: [{ [x]: "sigv4", [y]: "eusc-de-east-1" }] }, t = { [w]: [{ [x]: "sigv4", [y]: "{PartitionResult#implicitGlobalRegion}" }] }, u = [{ [v]: "Region" }];
    const _data = {
        conditions: [
            [c, [h]],
            [c, u],
            ["aws.partition", u, d],
            [e, [i, "aws"]],
            [e, [i, "aws-cn"]],
            [e, [i, "aws-us-gov"]],
            [e, [i, "aws-iso"]],
            [f, [{ [v]: "UseFIPS" }, b]],
            [f, [{ [v]: "UseDualStack" }, b]],
            [e, [i, "aws-iso-b"]],
            [e, [i, "aws-iso-e"]],
            [e, [i, "aws-iso-f"]],
            [e, [i, "aws-eusc"]],
            [f, [{ fn: g, argv: [j, "supportsDualStack"] }, b]],
            [f, [{ fn: g, argv: [j, "supportsFIPS"] }, b]]
        ],
        results: [
            [a],
            [a, "Invalid Configuration: FIPS and custom endpoint are not supported"],
            [a, "Invalid Configuration: Dualstack and custom endpoint are not supported"],
            [h, {}],
            ["https://iam.amazonaws.com", k],
            ["https://iam-fips.amazonaws.com", k],
            ["https://iam.global.api.aws", k],
            ["https://iam-fips.global.api.aws", k],
            ["https://iam.global.api.amazonwebservices.com.cn", l],
            ["https://iam-fips.api.amazonwebservices.com.cn", l],
            ["https://iam.cn-north-1.amazonaws.com.cn", l],
            ["https://iam-fips.amazonaws.com.cn", l],
            ["https://iam.us-gov.api.aws", m],
            ["https://iam.us-gov.amazonaws.com", m],
            ["https://iam.us-iso-east-1.c2s.ic.gov", n],
            ["https://iam-fips.us-iso-east-1.c2s.ic.gov", n],
            ["https://iam.api.aws.ic.gov", n],
            ["https://iam-fips.api.aws.ic.gov", n],
            ["https://iam.us-isob-east-1.sc2s.sgov.gov", o],
            ["https://iam-fips.us-isob-east-1.sc2s.sgov.gov", o],
            ["https://iam.api.aws.scloud", o],
            ["https://iam-fips.api.aws.scloud", o],
            ["https://iam.eu-isoe-west-1.cloud.adc-e.uk", p],
            ["https://iam-fips.cloud.adc-e.uk", p],
            ["https://iam.api.cloud-aws.adc-e.uk", p],
            ["https://iam-fips.api.cloud-aws.adc-e.uk", p],
            ["https://iam.us-isof-south-1.csp.hci.ic.gov", q],
            ["https://iam-fips.csp.hci.ic.gov", q],
            ["https://iam.api.aws.hci.ic.gov", q],
            ["https://iam-fips.api.aws.hci.ic.gov", q],
            ["https://iam.eusc-de-east-1.amazonaws.eu", s],
            ["https://iam-fips.amazonaws.eu", s],
            ["https://iam.global.api.amazonwebservices.eu", s],
            ["https://iam-fips.api.amazonwebservices.eu", s],
            ["https://iam-fips.{PartitionResult#implicitGlobalRegion}.{PartitionResult#dualStackDnsSuffix}", t],
            [a, "FIPS and DualStack are enabled, but this partition does not support one or both"],
            ["https://iam-fips.{PartitionResult#implicitGlobalRegion}.{PartitionResult#dnsSuffix}", t],
            [a, "FIPS is enabled but this partition does not support FIPS"],
            ["https://iam.{PartitionResult#implicitGlobalRegion}.{PartitionResult#dualStackDnsSuffix}", t],
            [a, "DualStack is enabled but this partition does not support DualStack"],
            ["https://iam.{PartitionResult#implicitGlobalRegion}.{PartitionResult#dnsSuffix}", t],
            [a, "Invalid Configuration: Missing Region"]
        ]
    };
    const root = 2;
    const r = 100_000_000;
    const nodes = new Int32Array([
        -1, 1, -1,
        0, 42, 3,
        1, 4, r + 41,
        2, 5, r + 41,
        3, 39, 6,
        4, 36, 7,
        5, 35, 8,
        6, 32, 9,
        7, 20, 10,
        8, 15, 11,
        9, r + 18, 12,
        10, r + 22, 13,
        11, r + 26, 14,
        12, r + 30, r + 40,
        9, r + 20, 16,
        10, r + 24, 17,
        11, r + 28, 18,
        12, r + 32, 19,
        13, r + 38, r + 39,
        8, 26, 21,
        9, r + 19, 22,
        10, r + 23, 23,
        11, r + 27, 24,
        12, r + 31, 25,
        14, r + 36, r + 37,
        9, r + 21, 27,
        10, r + 25, 28,
        11, r + 29, 29,
        12, r + 33, 30,
        13, 31, r + 35,
        14, r + 34, r + 35,
        7, 34, 33,
        8, r + 16, r + 14,
        8, r + 17, r + 15,
        8, r + 12, r + 13,
        7, 38, 37,
        8, r + 8, r + 10,
        8, r + 9, r + 11,
        7, 41, 40,
        8, r + 6, r + 4,
        8, r + 7, r + 5,
        7, r + 1, 43,
        8, r + 2, r + 3,
    ]);
    return {nodes, root, conditions: _data.conditions, results: _data.results};
  },

};

const providers = new Map<RuleService, (params: Record<string, unknown>, context?: {logger?: unknown}) => EndpointResult>();

/** The service's endpoint provider, as its SDK client's config.endpointProvider (same rules, same cache). */
export function endpointProviderFor(service: RuleService): (params: Record<string, unknown>, context?: {logger?: unknown}) => EndpointResult {
  let provider = providers.get(service);
  if (!provider) {
    customEndpointFunctions.aws = awsEndpointFunctions as unknown as (typeof customEndpointFunctions)['aws'];
    const rules = RULES[service]();
    const bdd = BinaryDecisionDiagram.from(rules.nodes, rules.root, rules.conditions, rules.results);
    const cache = new EndpointCache({size: 50, params: ['Endpoint', 'Region', 'UseDualStack', 'UseFIPS']});
    provider = (params, context = {}) =>
      cache.get(params as never, () => decideEndpoint(bdd, {endpointParams: params as never, logger: context.logger as never})) as unknown as EndpointResult;
    providers.set(service, provider);
  }
  return provider;
}
