// Diagnose before deploy: the public API of the definition readers (CloudFormation / SAM /
// Serverless templates, CDK cloud assemblies, Terraform folders).
//
//   const model = await parseTemplate('cdk.out');          // or parseTemplateText(path, text) for a buffer
//   const { findings } = diagnoseTemplate(model);           // every finding located, many with a quick fix
//
// Locations are 1-based lines and columns in UTF-16 code units, `endColumn` one past the last
// character (SARIF's convention; VS Code's Range is the same minus one), plus the offsets. A quick
// fix is a list of text edits in the file's own syntax (`!Ref IdentityPool` in YAML,
// `{"Ref": "IdentityPool"}` in JSON, `aws_cognito_identity_pool.main.id` in Terraform).
export { parseTemplate, parseTemplateText, MAX_FILE_BYTES } from './parse.ts';
export type { ParseOptions, ResourceLocation, TemplateModel } from './parse.ts';
export { diagnoseTemplate } from './diagnoseTemplate.ts';
export type { QuickFix, TemplateDiagnosis, TemplateFinding, TextEdit } from './diagnoseTemplate.ts';
export { TemplateInputError, TemplateSyntaxError } from './source.ts';
export type { SourceLocation } from './source.ts';
export type { DefinitionKind } from './model.ts';
export { SymbolTable, referenceText, inlineText } from './symbols.ts';
export type { DefinedResource, Reference, SourceSymbol } from './symbols.ts';
