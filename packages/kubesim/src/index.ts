export const packageName = 'kubesim';
