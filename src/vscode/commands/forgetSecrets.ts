// "Forget Remembered Secrets...": the passwords and client secrets Test as user keeps in
// SecretStorage (only those the person asked it to remember), listed by what they are, never by
// value; the ticked ones are deleted. With an argument (`'all'`) it forgets everything (automation).
import * as vscode from 'vscode';
import type { Log } from '../log.ts';
import { describeSecretKey, type Secrets } from '../secrets.ts';

export async function forgetSecrets(secrets: Secrets, log: Log, which?: 'all'): Promise<number> {
  const all = secrets.list();
  if (all.length === 0) {
    if (which !== 'all') void vscode.window.showInformationMessage('Cognito Access remembers no password or client secret.');
    return 0;
  }
  const chosen =
    which === 'all'
      ? all
      : (
          await vscode.window.showQuickPick(
            all.map((key) => ({ label: describeSecretKey(key), picked: true, key })),
            { canPickMany: true, title: 'Forget remembered secrets', placeHolder: 'Ticked entries are deleted from VS Code secret storage' },
          )
        )?.map((item) => item.key);
  if (!chosen?.length) return 0;
  for (const key of chosen) await secrets.delete(key);
  log.info(`forgot ${chosen.length} remembered secret(s): ${chosen.map(describeSecretKey).join('; ')}`);
  if (which !== 'all') void vscode.window.showInformationMessage(`Forgot ${chosen.length === 1 ? describeSecretKey(chosen[0]!) : `${chosen.length} remembered secrets`}.`);
  return chosen.length;
}
