// Every SDK client module (aws/clients.ts loads this when it runs from source, unbundled).
import './lambda.ts';
import './sqs.ts';
import './cloudwatch.ts';
import './cloudwatch-logs.ts';
import './iam.ts';
