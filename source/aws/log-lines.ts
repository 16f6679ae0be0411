// The parser is pure and lives in source/domain/log-lines.ts; this name stays for existing importers.
export {parseLogLine, parseReportLine, type LogLine} from '../domain/log-lines.ts';
