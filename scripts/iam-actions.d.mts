// Types of scripts/iam-actions.mjs, for the TypeScript that imports it (the unit tests).
import type { IamActionData } from '../src/core/iamActions.ts';

export declare const IAM_DATA_PACKAGE: string;
export declare function iamDataDir(): string;
export declare function iamDataSourceFile(): string;
export declare function frontCode(names: readonly string[]): string;
export declare function iamActionData(): IamActionData;
export declare function iamActionModule(): string;
