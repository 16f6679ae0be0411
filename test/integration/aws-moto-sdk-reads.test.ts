// The AWS layer against moto through the SDK clients' reads: the path the dashboard takes against AWS itself
// (with one custom endpoint, as in aws-moto.test.ts and --demo, its reads go over aws/lean-reads.ts). The same
// tests, so the two paths are held to the same answers.
process.env.LAMBDA_TOP_TEST_SDK_READS = '1';
await import('./aws-moto.test.ts');
