// Installs the bundled IAM service reference in the engine, for POLICY_UNKNOWN_ACTION and
// ROLE_GRANTS_NOTHING. Imported for its effect by the command line (src/cli.ts) and the
// extension's engine bundle (src/vscode/engine.ts); src/core itself stays free of data and files.
import { setKnownActions } from '../core/iamActions.ts';
import data from './iamActionData.ts';

if (data) setKnownActions(data);
