/**
 * IaC: export a topology as AWS SAM or AWS CDK, import SAM/CloudFormation templates, losslessly.
 * Pure functions (data in, data out): API routes and the CLI do the I/O. See README.md.
 *
 * @example
 * const { files, report } = exportSam(topology);            // template.yaml + handler stubs
 * const { files: app } = exportCdk(topology);               // a CDK app in TypeScript
 * const { topology: t, report: r } = importSam(yamlText);   // nodes, edges, contexts + what was kept verbatim
 */
export { exportSam, exportCdk, exportTopology, prepareExport, type ExportOptions, type ExportReport, type ExportFile, type SamExport } from "./export";
export { importSam, type ImportOptions, type ImportReport, type ImportEntry, type ImportResult } from "./import/sam";
export { parseTemplate, PARSE_LIMITS, type ParsedTemplate, type CommentMap } from "./parse/template";
export { writeYaml } from "./emit/yaml";
export { assignLogicalIds, stampLogicalIds, logicalIdBase } from "./ir/logical-ids";
export type { ExportNote } from "./ir/build";
